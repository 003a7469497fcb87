package dev.floe.catalog.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.BearerToken;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may do what: the answer (status and message) each kind of request gets. */
class CatalogAccessTest {

  private static final String TABLE = "/v1/namespaces/lake/tables/events";

  private static Optional<BearerToken.Refusal> decide(
      HttpMethod method, String path, String auth, String api, String admin) {
    return CatalogAccess.decide(
        method, path, auth, Optional.ofNullable(api), Optional.ofNullable(admin));
  }

  @Test
  void withoutTokensReadsAreOpenAndWritesClosed() {
    assertThat(decide(HttpMethod.GET, TABLE, null, null, null)).isEmpty();
    assertThat(decide(HttpMethod.HEAD, TABLE, null, null, null)).isEmpty();
    assertThat(decide(HttpMethod.POST, TABLE + "/metrics", null, null, null)).isEmpty();
    var commit = decide(HttpMethod.POST, TABLE, "Bearer anything", null, null).orElseThrow();
    assertThat(commit.status()).isEqualTo(403);
    assertThat(commit.message()).contains("floe.catalog.admin-token");
    assertThat(decide(HttpMethod.DELETE, TABLE, null, null, null).orElseThrow().status())
        .isEqualTo(403);
    assertThat(decide(HttpMethod.POST, "/v1/tables/rename", null, null, null)).isPresent();
    assertThat(decide(HttpMethod.POST, "/v1/namespaces", null, null, null)).isPresent();
  }

  @Test
  void writesNeedTheAdminToken() {
    assertThat(decide(HttpMethod.POST, TABLE, null, null, "adm").orElseThrow().status())
        .isEqualTo(401);
    assertThat(decide(HttpMethod.POST, TABLE, "Bearer rd", "rd", "adm").orElseThrow().status())
        .isEqualTo(403);
    assertThat(decide(HttpMethod.POST, TABLE, "Bearer adm", "rd", "adm")).isEmpty();
  }

  @Test
  void withAReadTokenEveryRequestButHealthNeedsAToken() {
    assertThat(decide(HttpMethod.GET, TABLE, null, "rd", null).orElseThrow().status())
        .isEqualTo(401);
    assertThat(decide(HttpMethod.GET, TABLE, "Bearer wrong", "rd", null).orElseThrow().status())
        .isEqualTo(403);
    assertThat(decide(HttpMethod.GET, "/q/metrics", null, "rd", null)).isPresent();
    assertThat(decide(HttpMethod.GET, TABLE, "Bearer rd", "rd", null)).isEmpty();
    assertThat(decide(HttpMethod.GET, TABLE, "Bearer adm", "rd", "adm")).isEmpty();
    assertThat(decide(HttpMethod.GET, "/q/health/ready", null, "rd", "adm")).isEmpty();
  }
}
