package dev.floe.producer.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With floe.producer.api-token set, writes and generator control need the bearer token. */
@QuarkusTest
@TestProfile(AuthIT.WithToken.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class AuthIT {
  static final String TOKEN = "s3cret-token-for-tests";
  static final String EVENT = "{\"type\":\"page_view\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}";

  public static class WithToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("floe.producer.api-token", TOKEN);
    }
  }

  @Test
  void eventsNeedTheToken() {
    given()
        .contentType(ContentType.JSON)
        .body(EVENT)
        .post("/events")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .body("error", equalTo("unauthorized"));
    given()
        .header("Authorization", "Bearer wrong-token")
        .contentType(ContentType.JSON)
        .body(EVENT)
        .post("/events")
        .then()
        .statusCode(403)
        .body("error", equalTo("forbidden"));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(EVENT)
        .post("/events")
        .then()
        .statusCode(202);
  }

  @Test
  void everythingButHealthNeedsTheToken() {
    given().get("/generator").then().statusCode(401);
    given()
        .header("Authorization", "Bearer nope")
        .contentType(ContentType.JSON)
        .body("{\"running\":false}")
        .post("/generator")
        .then()
        .statusCode(403);
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/generator")
        .then()
        .statusCode(200)
        .body("running", equalTo(false));
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(401).body("error", equalTo("unauthorized"));
    given().get("/q/openapi").then().statusCode(401).body("error", equalTo("unauthorized"));
    given().header("Authorization", "Bearer nope").get("/q/metrics").then().statusCode(403);
    given().header("Authorization", "Bearer " + TOKEN).get("/q/metrics").then().statusCode(200);
    given().header("Authorization", "Bearer " + TOKEN).get("/q/openapi").then().statusCode(200);
  }
}
