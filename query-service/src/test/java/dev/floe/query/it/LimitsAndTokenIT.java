package dev.floe.query.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A service with a 5 s time limit (short, yet above what a small query takes on a busy build
 * machine) and an API token.
 */
@QuarkusTest
@TestProfile(LimitsAndTokenIT.Strict.class)
@QuarkusTestResource(LakeResource.class)
class LimitsAndTokenIT {

  static final String TOKEN = "s3cret-token";

  public static class Strict implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("floe.query.time-limit", "5s", "floe.query.api-token", TOKEN);
    }
  }

  private final Lake lake = Lake.get();

  @Test
  void aQueryOverTheTimeLimitIsCancelledInTrinoAnd504() throws Exception {
    String slow =
        "SELECT count(*) FROM UNNEST(sequence(1, 10000)) a(x)"
            + " CROSS JOIN UNNEST(sequence(1, 10000)) b(y)"
            + " CROSS JOIN UNNEST(sequence(1, 10000)) c(z)";
    long started = System.nanoTime();
    String detail =
        given()
            .auth()
            .oauth2(TOKEN)
            .queryParam("sql", slow)
            .get("/query")
            .then()
            .statusCode(504)
            .body("error", equalTo("query_timeout"))
            .body("detail", containsString("time limit of 5000 ms"))
            .extract()
            .path("detail");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));

    Matcher id = Pattern.compile("query (\\w+)\\)").matcher(detail);
    assertThat(id.find()).as(detail).isTrue();
    // Trino itself has ended the query: it does not keep burning the cluster.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(stateInTrino(id.group(1))).startsWith("FAILED"));
    assertThat(stateInTrino(id.group(1)))
        .isIn("FAILED USER_CANCELED", "FAILED EXCEEDED_TIME_LIMIT");
  }

  @Test
  void everyEndpointButHealthNeedsTheToken() {
    for (String path :
        new String[] {
          "/query?sql=SELECT+1",
          "/events",
          "/events/stats?bucket=hour",
          "/tables/events/snapshots",
          "/q/metrics",
          "/q/openapi",
          "/q/swagger-ui/"
        }) {
      given()
          .get(path)
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", "Bearer")
          .body("error", equalTo("unauthorized"));
      given()
          .auth()
          .oauth2("wrong")
          .get(path)
          .then()
          .statusCode(403)
          .body("error", equalTo("forbidden"));
      // Past the filter: what the endpoint then answers is its own business (the typed endpoints
      // may meet the short time limit of this profile on a busy machine).
      given().auth().oauth2(TOKEN).get(path).then().statusCode(not(oneOf(401, 403)));
    }
    for (String path : new String[] {"/query?sql=SELECT+1", "/q/metrics", "/q/openapi"}) {
      given().auth().oauth2(TOKEN).get(path).then().statusCode(200);
    }
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }

  private String stateInTrino(String queryId) throws Exception {
    try (Connection c = lake.admin();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT state, error_code FROM system.runtime.queries WHERE query_id = ?")) {
      s.setString(1, queryId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) + " " + rs.getString(2) : "UNKNOWN";
      }
    }
  }
}
