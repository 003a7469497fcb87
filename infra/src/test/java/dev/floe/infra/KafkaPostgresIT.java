package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.infra.junit.FloeStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@FloeStack({Service.KAFKA, Service.POSTGRES})
class KafkaPostgresIT {

  @Test
  void platformTopicsExistWithTheirPartitionCounts(EmbeddedStack stack) throws Exception {
    try (Admin admin = admin(stack)) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(List.of("events.raw", "events.clean", "events.dlq"))
              .allTopicNames()
              .get();
      assertThat(topics.get("events.raw").partitions()).hasSize(4);
      assertThat(topics.get("events.clean").partitions()).hasSize(4);
      assertThat(topics.get("events.dlq").partitions()).hasSize(1);
    }
  }

  @Test
  void createTopicIsIdempotent(EmbeddedStack stack) throws Exception {
    String topic = "it-topic-" + UUID.randomUUID();
    stack.createTopic(topic, 3);
    stack.createTopic(topic, 3);
    try (Admin admin = admin(stack)) {
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(3);
    }
  }

  @Test
  void recordsSurviveABrokerRestartOnTheSamePort(EmbeddedStack stack) {
    String topic = "it-restart-" + UUID.randomUUID();
    stack.createTopic(topic, 1);
    produce(stack, topic, "before");
    stack.stopKafka();
    assertThat(stack.isRunning(Service.KAFKA)).isFalse();
    stack.startKafka();
    produce(stack, topic, "after");
    assertThat(consumeAll(stack, topic, 2)).containsExactly("before", "after");
  }

  @Test
  void catalogDatabaseHasIcebergTablesAndTheLakeNamespace(EmbeddedStack stack) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                stack.catalogJdbcUrl(), stack.catalogUser(), stack.catalogPassword());
        ResultSet rs = c.getMetaData().getColumns(null, null, "iceberg_tables", "iceberg_type")) {
      // the iceberg_type column exists only in the V1 layout of Iceberg's JDBC catalog
      assertThat(rs.next()).isTrue();
    }
    try (JdbcCatalog catalog = new JdbcCatalog()) {
      Map<String, String> props = stack.catalogProperties();
      props.put("io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO");
      catalog.initialize(stack.catalogName(), props);
      assertThat(catalog.namespaceExists(Namespace.of("lake"))).isTrue();
    }
    assertThat(stack.catalogProperties())
        .containsEntry("jdbc.schema-version", "V1")
        .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
    assertThat(stack.warehouse()).startsWith("file:///");
  }

  private static Admin admin(EmbeddedStack stack) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()));
  }

  private static void produce(EmbeddedStack stack, String topic, String value) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, value)).get();
    } catch (Exception e) {
      throw new AssertionError("produce to " + topic + " failed", e);
    }
  }

  private static List<String> consumeAll(EmbeddedStack stack, String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
