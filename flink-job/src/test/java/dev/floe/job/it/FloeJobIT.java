package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import dev.floe.job.FloeJobMain;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * The job's main wiring on a local MiniCluster at parallelism 2 against the embedded Kafka broker
 * and the JDBC catalog on PostgreSQL. Each test has its own topics, table and checkpoints.
 */
@FloeStack({Service.KAFKA, Service.POSTGRES})
class FloeJobIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  @SuppressWarnings("unchecked")
  void validUniqueEventsLandExactlyOnceAndMalformedOnesInTheDeadLetterTopic(EmbeddedStack stack)
      throws Exception {
    Pipelines p = new Pipelines(stack, "exact");
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 10_000, 0, new Pipelines.Sent(), new Random(1));
    assertThat(sent.malformedReasons).hasSize(100);
    assertThat(sent.duplicates).isEqualTo(100);
    int expected = sent.valid.size();
    assertThat(expected).isEqualTo(9_800);

    JobClient job = p.start();
    try {
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected);
      await().atMost(TIMEOUT).until(() -> p.readCommitted(p.clean).size() >= expected);
      // a few more checkpoints: nothing else may arrive
      long checkpoint = p.latestCheckpoint();
      await().atMost(TIMEOUT).until(() -> p.latestCheckpoint() >= checkpoint + 2);
    } finally {
      Pipelines.cancel(job);
    }

    List<String> cleanIds = p.cleanEventIds();
    assertThat(cleanIds).hasSize(expected).doesNotHaveDuplicates();
    assertThat(Set.copyOf(cleanIds)).isEqualTo(sent.valid.keySet());

    List<Record> rows = p.tableRows();
    assertThat(rows).hasSize(expected);
    assertThat(rows.stream().map(r -> (String) r.getField("event_id")).collect(Collectors.toSet()))
        .isEqualTo(sent.valid.keySet());

    // one row checked field by field against what was sent
    Record row = rows.get(0);
    var source = sent.valid.get((String) row.getField("event_id"));
    assertThat(row.getField("type")).isEqualTo(source.get("type").asText());
    assertThat(((OffsetDateTime) row.getField("occurred_at")).toInstant())
        .isEqualTo(Instant.parse(source.get("occurredAt").asText()));
    assertThat(row.getField("ingested_at")).isNotNull();
    assertThat((Integer) row.getField("kafka_partition")).isBetween(0, 1);
    if (source.has("properties")) {
      assertThat((Map<Object, Object>) row.getField("properties"))
          .containsEntry("plan", source.get("properties").get("plan").asText());
    }

    p.assertDeadLetters(sent);
  }

  @Test
  void anAbruptStopAndRestartFromTheRetainedCheckpointLosesAndDuplicatesNothing(EmbeddedStack stack)
      throws Exception {
    Pipelines p = new Pipelines(stack, "restart");
    Random random = new Random(2);
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 6_000, 0, new Pipelines.Sent(), random);

    JobClient first = p.start();
    try {
      await().atMost(TIMEOUT).until(() -> p.committedRows() > 0);
      // more input while the job runs, including resends of ids it has already seen; then stop
      // without a savepoint while that input is in flight
      Pipelines.produce(p.raw, stack.kafkaBootstrapServers(), 4_000, 6_000, sent, random);
    } finally {
      Pipelines.cancel(first);
    }
    long rowsAfterStop = p.committedRows();

    // the same start-up path as main: it finds the retained checkpoint by itself
    assertThat(
            FloeJobMain.environmentConfiguration(p.settings())
                .get(StateRecoveryOptions.SAVEPOINT_PATH))
        .contains(p.checkpoints.toString())
        .contains("chk-");

    int expected = sent.valid.size();
    JobClient second = p.start();
    try {
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected);
      await().atMost(TIMEOUT).until(() -> p.readCommitted(p.clean).size() >= expected);
      long checkpoint = p.latestCheckpoint();
      await().atMost(TIMEOUT).until(() -> p.latestCheckpoint() >= checkpoint + 2);
    } finally {
      Pipelines.cancel(second);
    }

    assertThat(rowsAfterStop).isLessThanOrEqualTo(expected);
    List<String> cleanIds = p.cleanEventIds();
    assertThat(cleanIds).hasSize(expected).doesNotHaveDuplicates();
    assertThat(Set.copyOf(cleanIds)).isEqualTo(sent.valid.keySet());
    List<Record> rows = p.tableRows();
    assertThat(rows).hasSize(expected);
    assertThat(rows.stream().map(r -> (String) r.getField("event_id")).collect(Collectors.toSet()))
        .isEqualTo(sent.valid.keySet());
    p.assertDeadLetters(sent);
  }
}
