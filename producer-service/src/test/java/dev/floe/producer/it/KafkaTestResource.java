package dev.floe.producer.it;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Hands the JVM's shared embedded Kafka broker (floe-infra) to the application, with a topic of its
 * own per test class so that classes never see each other's records.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    EmbeddedStack stack = SharedStack.get(Service.KAFKA);
    String topic = "events.raw.test-" + UUID.randomUUID().toString().substring(0, 8);
    stack.createTopic(topic, 3);
    return Map.of(
        "kafka.bootstrap.servers", stack.kafkaBootstrapServers(), "floe.producer.topic", topic);
  }

  @Override
  public void stop() {
    // the shared stack outlives the application; its shutdown hook stops it with the JVM
  }

  public static EmbeddedStack stack() {
    return SharedStack.get(Service.KAFKA);
  }
}
