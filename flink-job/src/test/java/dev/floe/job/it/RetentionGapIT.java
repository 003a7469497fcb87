package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Kafka deletes records of the raw topic the stopped job has not read yet (as its retention would;
 * here through the Admin API's deleteRecords). The job's next start writes one RETENTION_GAP dead
 * letter per partition naming the missing range, and reads on: every event that Kafka still had is
 * in the table and in events.clean once, and no event of the gap appears.
 */
@FloeStack({Service.KAFKA, Service.POSTGRES})
class RetentionGapIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void recordsDeletedBeforeTheJobReadThemAreDeadLetteredAsARangeNeverSkippedSilently(
      EmbeddedStack stack) throws Exception {
    Pipelines p = new Pipelines(stack, "retention");
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 1_000, 0, new Pipelines.Sent(), new Random(7));
    Set<String> expected = new HashSet<>(sent.valid.keySet());

    try (Admin admin = admin(stack)) {
      JobClient first = p.start();
      try {
        await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected.size());
        Map<TopicPartition, Long> end = ends(p, admin);
        // the job's group has committed everything it read: the gap below starts there
        await().atMost(TIMEOUT).until(() -> committed(admin, p).equals(end));
      } finally {
        Pipelines.cancel(first);
      }
      Map<TopicPartition, Long> committed = committed(admin, p);

      // while the job is down: 400 more events, then Kafka drops the first half of them
      Map<String, RecordMetadata> second = send(stack, p.raw, 400);
      Map<TopicPartition, Long> end = ends(p, admin);
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      Map<TopicPartition, Long> logStart = new HashMap<>();
      for (TopicPartition tp : end.keySet()) {
        long from = committed.get(tp);
        long to = from + (end.get(tp) - from) / 2;
        logStart.put(tp, to);
        delete.put(tp, RecordsToDelete.beforeOffset(to));
      }
      admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
      second.forEach(
          (id, m) -> {
            if (m.offset() >= logStart.get(new TopicPartition(m.topic(), m.partition()))) {
              expected.add(id);
            }
          });

      JobClient again = p.start();
      try {
        await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected.size());
        await().atMost(TIMEOUT).until(() -> p.readCommitted(p.clean).size() >= expected.size());
        long checkpoint = p.latestCheckpoint();
        await().atMost(TIMEOUT).until(() -> p.latestCheckpoint() >= checkpoint + 2);
      } finally {
        Pipelines.cancel(again);
      }

      List<JsonNode> gaps =
          p.readCommitted(p.dlq).stream()
              .map(r -> Pipelines.json(r.value()))
              .filter(d -> Reason.RETENTION_GAP.name().equals(d.path("reason").asText()))
              .toList();
      assertThat(gaps).hasSize(logStart.size());
      for (JsonNode gap : gaps) {
        TopicPartition tp = new TopicPartition(p.raw, gap.path("partition").asInt());
        long from = committed.get(tp);
        long to = logStart.get(tp);
        assertThat(gap.path("topic").asText()).isEqualTo(p.raw);
        assertThat(gap.path("offset").asLong()).isEqualTo(from);
        assertThat(gap.path("detail").asText())
            .contains(
                "offsets "
                    + from
                    + "-"
                    + (to - 1)
                    + " of "
                    + p.raw
                    + " partition "
                    + tp.partition());
      }
    }

    Set<String> rows =
        p.tableRows().stream()
            .map(r -> (String) r.getField("event_id"))
            .collect(Collectors.toSet());
    assertThat(p.tableRows()).hasSize(expected.size());
    assertThat(rows).isEqualTo(expected);
    List<String> clean = p.cleanEventIds();
    assertThat(clean).hasSize(expected.size()).doesNotHaveDuplicates();
    assertThat(Set.copyOf(clean)).isEqualTo(expected);
  }

  private static Admin admin(EmbeddedStack stack) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    return Admin.create(props);
  }

  private static Map<TopicPartition, Long> ends(Pipelines p, Admin admin) throws Exception {
    Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      request.put(new TopicPartition(p.raw, i), org.apache.kafka.clients.admin.OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin
        .listOffsets(request)
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, r) -> out.put(tp, r.offset()));
    return out;
  }

  private static Map<TopicPartition, Long> committed(Admin admin, Pipelines p) throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e :
        admin
            .listConsumerGroupOffsets("group-" + p.suffix)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS)
            .entrySet()) {
      if (e.getValue() != null) {
        out.put(e.getKey(), e.getValue().offset());
      }
    }
    return out;
  }

  /** Sends valid events; returns where each landed. */
  private static Map<String, RecordMetadata> send(EmbeddedStack stack, String topic, int count)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    Map<String, Future<RecordMetadata>> futures = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        String id = UUID.randomUUID().toString();
        String json =
            "{\"eventId\":\""
                + id
                + "\",\"type\":\"click\",\"occurredAt\":\""
                + Instant.parse("2025-06-01T00:00:00Z").plusSeconds(i)
                + "\"}";
        futures.put(
            id,
            producer.send(
                new ProducerRecord<>(
                    topic,
                    id.getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8))));
      }
      producer.flush();
    }
    Map<String, RecordMetadata> out = new HashMap<>();
    for (Map.Entry<String, Future<RecordMetadata>> e : futures.entrySet()) {
      out.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS));
    }
    return out;
  }
}
