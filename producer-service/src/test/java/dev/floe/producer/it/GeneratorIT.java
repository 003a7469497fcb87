package dev.floe.producer.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The generator at a given rate, measured on the topic. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class GeneratorIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void producesRateTimesDurationAndStopsWhenStopped() throws Exception {
    double rate = 200;
    given().get("/generator").then().statusCode(200).body("running", equalTo(false));
    given()
        .contentType(ContentType.JSON)
        .body("{\"rate\":\"fast\"}")
        .put("/generator")
        .then()
        .statusCode(400)
        .body("violations[0].field", equalTo("rate"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"rate\":0}")
        .put("/generator")
        .then()
        .statusCode(400)
        .body("violations[0].field", equalTo("rate"));

    long start = System.nanoTime();
    given()
        .contentType(ContentType.JSON)
        .body("{\"running\":true,\"rate\":" + rate + "}")
        .post("/generator")
        .then()
        .statusCode(200)
        .body("running", equalTo(true))
        .body("rate", equalTo((float) rate));
    // a measuring window of about three seconds (observed, not slept)
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> System.nanoTime() - start >= 3_000_000_000L);
    var stopped =
        given()
            .contentType(ContentType.JSON)
            .body("{\"running\":false}")
            .put("/generator")
            .then()
            .statusCode(200)
            .body("running", equalTo(false))
            .extract()
            .jsonPath();
    double clientSeconds = (System.nanoTime() - start) / 1e9;
    // the service's own window excludes the HTTP round trips of the start and stop calls
    double seconds =
        Duration.between(
                    Instant.parse(stopped.getString("startedAt")),
                    Instant.parse(stopped.getString("stoppedAt")))
                .toNanos()
            / 1e9;
    assertThat(seconds).isBetween(clientSeconds - 1.5, clientSeconds);
    long expected = Math.round(rate * seconds);

    var config = ConfigProvider.getConfig();
    try (TopicReader topic =
        new TopicReader(
            config.getValue("kafka.bootstrap.servers", String.class),
            config.getValue("floe.producer.topic", String.class))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> given().get("/generator").jsonPath().getLong("inFlight") == 0);
      long generated = given().get("/generator").jsonPath().getLong("generated");
      long sent = given().get("/generator").jsonPath().getLong("sent");
      assertThat(sent).isEqualTo(generated);
      var records = topic.readUntil(r -> r.size() >= sent, Duration.ofSeconds(20));
      assertThat(records).hasSize((int) sent);
      assertThat((double) records.size())
          .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(10));

      Set<String> types = new HashSet<>();
      Set<String> users = new HashSet<>();
      for (ConsumerRecord<String, String> r : records) {
        JsonNode event = JSON.readTree(r.value());
        types.add(event.get("type").asText());
        if (!event.get("userId").isNull()) {
          users.add(event.get("userId").asText());
          assertThat(r.key()).isEqualTo(event.get("userId").asText());
        }
      }
      assertThat(types).contains("page_view", "add_to_cart", "search");
      assertThat(users.size()).isGreaterThan(10);

      // stopped means stopped: nothing more for a while, neither counted nor on the topic
      int after = records.size();
      await()
          .during(Duration.ofMillis(2500))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  given().get("/generator").jsonPath().getLong("generated") == generated
                      && topic.readToEnd(Duration.ofSeconds(5)).size() == after);
    }
  }
}
