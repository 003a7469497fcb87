package dev.floe.query.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Trino goes away and comes back; the service answers 503 meanwhile and recovers by itself. */
@QuarkusTest
@QuarkusTestResource(LakeResource.class)
class TrinoOutageIT {

  private final Lake lake = Lake.get();

  @Test
  void trinoDownIs503AndTheServiceRecoversWithoutRestart() {
    given().queryParam("sql", "SELECT count(*) FROM events").get("/query").then().statusCode(200);

    lake.stack.stopTrino();
    try {
      long started = System.nanoTime();
      given()
          .queryParam("sql", "SELECT count(*) FROM events")
          .get("/query")
          .then()
          .statusCode(503)
          .body("error", equalTo("trino_unavailable"));
      given().get("/events").then().statusCode(503);
      // Bounded by floe.query.trino.request-timeout (5 s), not by the 30 s time limit.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
      given()
          .get("/q/health/ready")
          .then()
          .statusCode(503)
          .body("checks[0].name", equalTo("trino"));
    } finally {
      lake.stack.startTrino();
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                given()
                    .queryParam("sql", "SELECT count(*) FROM events")
                    .get("/query")
                    .then()
                    .statusCode(200)
                    .body("rows[0][0]", equalTo(Lake.ALL_ROWS)));
    given().get("/q/health/ready").then().statusCode(200);
  }
}
