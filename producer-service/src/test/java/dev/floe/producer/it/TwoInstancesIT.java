package dev.floe.producer.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Two replicas side by side: this test's Quarkus instance and the packaged jar as a second process,
 * both writing to one topic at the same time.
 */
@QuarkusTest
@TestProfile(TwoInstancesIT.ReplicaA.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class TwoInstancesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static class ReplicaA implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("floe.producer.replica-id", "replica-a");
    }
  }

  @Test
  void bothReplicasWriteEveryRecordWithTheirOwnSource() throws Exception {
    var config = ConfigProvider.getConfig();
    String bootstrap = config.getValue("kafka.bootstrap.servers", String.class);
    String topicName = config.getValue("floe.producer.topic", String.class);
    int portA = io.restassured.RestAssured.port;
    try (PackagedService b =
        PackagedService.start(
                Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "FLOE_PRODUCER_TOPIC", topicName,
                    "FLOE_PRODUCER_REPLICA_ID", "replica-b"))
            .awaitReady(Duration.ofSeconds(60))) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      Map<String, String> expectedSource = new HashMap<>();
      List<Future<List<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        boolean toA = i % 2 == 0;
        int port = toA ? portA : b.port;
        calls.add(pool.submit(postBatch(port, 25)));
      }
      for (int i = 0; i < calls.size(); i++) {
        for (String id : calls.get(i).get()) {
          expectedSource.put(id, i % 2 == 0 ? "replica-a" : "replica-b");
        }
      }
      pool.shutdown();

      try (TopicReader topic = new TopicReader(bootstrap, topicName)) {
        List<ConsumerRecord<String, String>> records =
            topic.readUntil(r -> r.size() >= expectedSource.size(), Duration.ofSeconds(30));
        Map<String, String> actualSource = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
          JsonNode event = JSON.readTree(r.value());
          actualSource.put(event.get("eventId").asText(), event.get("source").asText());
        }
        assertThat(records).hasSize(500);
        assertThat(actualSource).isEqualTo(expectedSource);
        assertThat(actualSource.values()).containsOnly("replica-a", "replica-b");
      }
    }
  }

  private static Callable<List<String>> postBatch(int port, int n) {
    return () -> {
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        body.append(i == 0 ? "" : ",")
            .append("{\"type\":\"page_view\",\"userId\":\"u-")
            .append(UUID.randomUUID().toString(), 0, 4)
            .append("\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}");
      }
      return given()
          .port(port)
          .contentType(ContentType.JSON)
          .body(body.append(']').toString())
          .post("/events")
          .then()
          .statusCode(202)
          .extract()
          .jsonPath()
          .getList("eventIds");
    };
  }
}
