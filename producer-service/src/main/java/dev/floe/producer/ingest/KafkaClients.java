package dev.floe.producer.ingest;

import dev.floe.producer.config.ProducerSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka clients of the service, built from every {@code kafka.*} setting (Quarkus'
 * default-kafka-broker map: {@code KAFKA_BOOTSTRAP_SERVERS}, security settings, tuning) with the
 * delivery guarantees forced on top.
 *
 * <p>A plain producer rather than a messaging Emitter: the request path needs a per-record ack it
 * can wait for with a deadline, and {@code max.block.ms}/{@code delivery.timeout.ms} that keep a
 * dead broker from blocking request threads.
 */
@ApplicationScoped
public class KafkaClients {

  @Produces
  @ApplicationScoped
  Producer<String, byte[]> producer(
      @Identifier("default-kafka-broker") Map<String, Object> kafka, ProducerSettings settings) {
    return new KafkaProducer<>(
        producerConfig(kafka, settings), new StringSerializer(), new ByteArraySerializer());
  }

  void closeProducer(@Disposes Producer<String, byte[]> producer) {
    producer.close(Duration.ofSeconds(5));
  }

  @Produces
  @ApplicationScoped
  Admin admin(
      @Identifier("default-kafka-broker") Map<String, Object> kafka, ProducerSettings settings) {
    Map<String, Object> config = clientConfig(kafka);
    int timeout = (int) settings.kafka().healthTimeout().toMillis();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "floe-producer-health");
    return Admin.create(config);
  }

  void closeAdmin(@Disposes Admin admin) {
    admin.close(Duration.ofSeconds(2));
  }

  static Map<String, Object> producerConfig(Map<String, Object> kafka, ProducerSettings settings) {
    Map<String, Object> config = clientConfig(kafka);
    // throughput defaults; any kafka.* setting overrides them
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "floe-producer");
    // the guarantees of POST /events: never weakened by configuration
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    long maxBlock =
        Math.min(settings.kafka().maxBlock().toMillis(), settings.ackTimeout().toMillis());
    long delivery = settings.kafka().deliveryTimeout().toMillis();
    long linger = Long.parseLong(String.valueOf(config.get(ProducerConfig.LINGER_MS_CONFIG)));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
    // Kafka rejects delivery.timeout.ms < linger.ms + request.timeout.ms
    config.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.max(1, Math.min(10_000L, delivery - linger)));
    return config;
  }

  private static Map<String, Object> clientConfig(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    // consumer-only settings the Quarkus map adds for the messaging connector
    config.remove("group.id");
    config.remove("key.deserializer");
    config.remove("value.deserializer");
    config.remove("key.serializer");
    config.remove("value.serializer");
    return config;
  }
}
