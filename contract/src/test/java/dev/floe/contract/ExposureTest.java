package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExposureTest {

  @Test
  void onlyLoopbackAddressesAreLoopback() {
    assertThat(Exposure.isLoopback("127.0.0.1")).isTrue();
    assertThat(Exposure.isLoopback("127.0.1.1")).isTrue();
    assertThat(Exposure.isLoopback("localhost")).isTrue();
    assertThat(Exposure.isLoopback("::1")).isTrue();
    assertThat(Exposure.isLoopback("[::1]")).isTrue();
    assertThat(Exposure.isLoopback("0.0.0.0")).isFalse();
    assertThat(Exposure.isLoopback("::")).isFalse();
    assertThat(Exposure.isLoopback("192.0.2.10")).isFalse();
    assertThat(Exposure.isLoopback("")).isFalse();
  }

  @Test
  void aServiceBeyondLoopbackNeedsItsToken() {
    Map<String, String> config = Map.of("quarkus.http.host", "0.0.0.0");
    assertThatThrownBy(
            () ->
                Exposure.requireServiceToken(
                    "query-service",
                    k -> Optional.ofNullable(config.get(k)),
                    "FLOE_QUERY_API_TOKEN",
                    Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "query-service refuses to start: it would listen on 0.0.0.0 (quarkus.http.host), beyond"
                + " loopback, without a credential. Set FLOE_QUERY_API_TOKEN (or keep"
                + " quarkus.http.host on 127.0.0.1)");
    assertThatCode(
            () ->
                Exposure.requireServiceToken(
                    "query-service",
                    k -> Optional.ofNullable(config.get(k)),
                    "FLOE_QUERY_API_TOKEN",
                    Optional.of("a-token")))
        .doesNotThrowAnyException();
  }

  @Test
  void inAContainerThePublishAddressDecides() {
    Map<String, String> loopbackPublished =
        Map.of("quarkus.http.host", "0.0.0.0", "floe.publish-address", "127.0.0.1");
    assertThatCode(
            () ->
                Exposure.requireServiceToken(
                    "console",
                    k -> Optional.ofNullable(loopbackPublished.get(k)),
                    "FLOE_CONSOLE_API_TOKEN",
                    Optional.empty()))
        .doesNotThrowAnyException();
    Map<String, String> published =
        Map.of("quarkus.http.host", "0.0.0.0", "floe.publish-address", "0.0.0.0");
    assertThatThrownBy(
            () ->
                Exposure.requireServiceToken(
                    "console",
                    k -> Optional.ofNullable(published.get(k)),
                    "FLOE_CONSOLE_API_TOKEN",
                    Optional.of(" ")))
        .hasMessageContaining("(FLOE_PUBLISH_ADDRESS)")
        .hasMessageContaining("Set FLOE_CONSOLE_API_TOKEN");
  }

  @Test
  void onLoopbackNothingIsRequired() {
    assertThat(Exposure.missingCredentials("127.0.0.1", Map.of("A", Optional.empty()))).isEmpty();
  }
}
