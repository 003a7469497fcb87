package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

  private static final String TOKEN = "s3cret-token";

  @Test
  void healthStaysOpen() {
    assertThat(BearerToken.check("/q/health", null, TOKEN, "k")).isEmpty();
    assertThat(BearerToken.check("/q/health/ready", null, TOKEN, "k")).isEmpty();
  }

  @Test
  void everythingElseNeedsTheToken() {
    assertThat(BearerToken.check("/q/healthz", null, TOKEN, "floe.x.api-token"))
        .get()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(401);
              assertThat(r.error()).isEqualTo("unauthorized");
              assertThat(r.message()).contains("Bearer <floe.x.api-token>");
            });
    assertThat(BearerToken.check("/events", "Basic abc", TOKEN, "k").get().status()).isEqualTo(401);
    assertThat(BearerToken.check("/events", "Bearer nope", TOKEN, "k").get().status())
        .isEqualTo(403);
    assertThat(BearerToken.check("/events", "bearer " + TOKEN, TOKEN, "k")).isEmpty();
    assertThat(BearerToken.check("/q/metrics", "Bearer " + TOKEN + " ", TOKEN, "k")).isEmpty();
  }
}
