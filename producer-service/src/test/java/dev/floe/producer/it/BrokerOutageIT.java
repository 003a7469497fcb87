package dev.floe.producer.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Kafka goes away and comes back while the service keeps running. */
@QuarkusTest
@TestProfile(BrokerOutageIT.ShortAckTimeout.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class BrokerOutageIT {
  static final long ACK_TIMEOUT_MS = 1500;

  public static class ShortAckTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "floe.producer.ack-timeout",
          ACK_TIMEOUT_MS + "ms",
          "floe.producer.kafka.health-timeout",
          "1s");
    }
  }

  @Test
  void answers503WithinTheAckTimeoutWhileKafkaIsDownAnd202OnceItIsBack() {
    List<String> acceptedIds = new ArrayList<>();
    // healthy first (a loaded machine may need more than the short ack timeout for the first acks)
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Response r = post(3);
              if (r.statusCode() == 202) {
                acceptedIds.addAll(r.jsonPath().getList("eventIds"));
              }
              return r.statusCode() == 202;
            });

    var stack = KafkaTestResource.stack();
    stack.stopKafka();
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        long start = System.nanoTime();
        Response response = post(5);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        response
            .then()
            .statusCode(503)
            .header("Retry-After", equalTo("2"))
            .body("error", equalTo("kafka_unavailable"))
            .body("notAcknowledged", hasSize(5))
            .body("violations", hasSize(0));
        // the ack deadline plus the HTTP round trip, never the producer's 30 s delivery timeout
        assertThat(tookMs).isLessThan(ACK_TIMEOUT_MS + 2500);
      }
      given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
    } finally {
      stack.startKafka();
    }

    // the same service instance recovers by itself; each attempt is a new event
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Response r = post(1);
              if (r.statusCode() == 202) {
                acceptedIds.addAll(r.jsonPath().getList("eventIds"));
                return true;
              }
              assertThat(r.statusCode()).isEqualTo(503);
              return false;
            });
    post(2).then().statusCode(202);
    given().get("/q/health/ready").then().statusCode(200);

    // every event answered 202 is on the topic
    var config = ConfigProvider.getConfig();
    try (TopicReader topic =
        new TopicReader(
            config.getValue("kafka.bootstrap.servers", String.class),
            config.getValue("floe.producer.topic", String.class))) {
      topic.readUntil(
          records ->
              acceptedIds.stream()
                  .allMatch(id -> records.stream().anyMatch(r -> r.value().contains(id))),
          Duration.ofSeconds(30));
    }
  }

  private static Response post(int n) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"eventId\":\"")
          .append(UUID.randomUUID())
          .append("\",\"type\":\"outage_probe\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}");
    }
    return given().contentType(ContentType.JSON).body(body.append(']').toString()).post("/events");
  }
}
