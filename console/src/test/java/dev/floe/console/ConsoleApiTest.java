package dev.floe.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console with every source down (nothing listens on port 1) and an API token: the page still
 * loads, the API names each source down with its reason, and asks for the token. The API against a
 * live lake is ConsoleIT in the lake module.
 */
@QuarkusTest
@TestProfile(ConsoleApiTest.NothingUp.class)
class ConsoleApiTest {

  static final String TOKEN = "console-test-token";

  /** Every source on a closed port; a token. */
  public static class NothingUp implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "floe.console.producer-urls", "http://127.0.0.1:1,http://127.0.0.1:2",
          "floe.console.flink-rest-url", "http://127.0.0.1:1",
          "floe.console.kafka-bootstrap-servers", "127.0.0.1:1",
          "floe.console.query-url", "http://127.0.0.1:1",
          "floe.console.source-timeout", "500ms",
          "floe.console.api-token", TOKEN);
    }
  }

  @Test
  void thePageAndItsChartLibraryLoadWithoutTheToken() {
    given().get("/").then().statusCode(200).body(containsString("Floe console"));
    given()
        .get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")
        .then()
        .statusCode(200)
        .body(containsString("uPlot"));
    given().get("/console.js").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void theApiNeedsTheToken() {
    given().get("/api/overview").then().statusCode(401).body("error", equalTo("unauthorized"));
    given()
        .header("Authorization", "Bearer wrong")
        .get("/api/overview")
        .then()
        .statusCode(403)
        .body("error", equalTo("forbidden"));
    given().get("/q/openapi").then().statusCode(401);
  }

  @Test
  void everySourceDownIsNamedWithItsReasonAndTheAnswerIsStillWhole() {
    JsonPath o =
        await("every source read once")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    given()
                        .header("Authorization", "Bearer " + TOKEN)
                        .get("/api/overview")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                p -> !p.getList("sources.error").contains("not read yet"));
    assertThat(o.getList("sources.name"))
        .containsExactly("producer-1", "producer-2", "flink", "kafka", "table");
    assertThat(o.getList("sources.up", Boolean.class)).containsOnly(false);
    List<String> errors = o.getList("sources.error");
    assertThat(errors).noneMatch(e -> e == null || e.isBlank() || e.equals("not read yet"));
    assertThat(errors.get(0)).contains("127.0.0.1:1");
    assertThat(o.getBoolean("sampling")).isTrue();
    assertThat(o.getList("series.t")).isNotNull();
  }

  @Test
  void sqlWithTheQueryServiceDownIs503WithTheReason() {
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .queryParam("sql", "SELECT 1")
        .get("/api/query")
        .then()
        .statusCode(503)
        .body("error", equalTo("query_service_unavailable"))
        .body("detail", containsString("127.0.0.1:1"));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/api/query")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"));
  }
}
