package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import dev.floe.job.FloeJobMain;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * On the MiniCluster: maintenance keeps files and snapshots bounded without changing the data; new
 * event fields become columns while the job runs; a partition change made through Trino is followed
 * by the running job. Everything is checked through Trino as floe_admin.
 */
@FloeStack({Service.KAFKA, Service.POSTGRES, Service.TRINO})
class TableEvolutionIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** After compaction of one day partition of small files: one file, plus one racing commit. */
  private static final int FILES_BOUND = 2;

  /**
   * Retention 8 s at a commit every ~0.5 s is about 16 snapshots; plus the expiry's own lag (rate
   * limit 1 s, every 5 commits) and the rewrite snapshots: at most 40.
   */
  private static final int SNAPSHOTS_BOUND = 40;

  @Test
  void maintenanceCompactsSmallFilesKeepsTheRowsAndBoundsSnapshotsWhileStreaming(
      EmbeddedStack stack) throws Exception {
    Pipelines p = new Pipelines(stack, "maint");
    Random random = new Random(8);
    Pipelines.Sent sent = new Pipelines.Sent();

    // many small commits, nothing compacts them yet
    JobClient plain = FloeJobMain.start(p.settings("--floe.maintenance.enabled", "false"));
    try {
      for (int batch = 0; batch < 12; batch++) {
        Pipelines.produce(p.raw, stack.kafkaBootstrapServers(), 60, batch * 60, sent, random);
        int expected = sent.valid.size();
        await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected);
      }
    } finally {
      Pipelines.cancel(plain);
    }
    String checksum;
    try (Connection trino = trino(stack)) {
      assertThat(dataFiles(trino, p)).isGreaterThan(12);
      checksum = checksum(trino, p);
    }

    JobClient job =
        FloeJobMain.start(
            p.settings(
                "--floe.maintenance.start-delay", "0s",
                "--floe.maintenance.rate-limit", "1s",
                "--floe.maintenance.rewrite.interval", "2s",
                "--floe.maintenance.rewrite.commit-count", "5",
                "--floe.maintenance.rewrite.min-input-files", "2",
                "--floe.maintenance.snapshot-retention", "8s",
                "--floe.maintenance.snapshot-min-count", "3",
                "--floe.maintenance.expire.commit-count", "5"));
    try (Connection trino = trino(stack)) {
      await().atMost(TIMEOUT).until(() -> dataFiles(trino, p) <= FILES_BOUND);
      assertThat(checksum(trino, p)).isEqualTo(checksum);

      // the stream keeps committing: the snapshot count stays bounded while many more are made
      Set<Long> seen = new HashSet<>();
      org.apache.iceberg.catalog.Catalog catalog = p.catalog();
      int index = 12 * 60;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (seen.size() < SNAPSHOTS_BOUND + 20 && System.nanoTime() < deadline) {
        Pipelines.produce(p.raw, stack.kafkaBootstrapServers(), 20, index, sent, random);
        index += 20;
        int expected = sent.valid.size();
        await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected);
        List<Long> ids = snapshotIds(catalog, p);
        seen.addAll(ids);
        assertThat(ids).hasSizeLessThanOrEqualTo(SNAPSHOTS_BOUND);
      }
      assertThat(seen).hasSizeGreaterThanOrEqualTo(SNAPSHOTS_BOUND + 20);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      try (ResultSet rs =
          trino
              .createStatement()
              .executeQuery(
                  "SELECT count(*), count(DISTINCT event_id) FROM iceberg.lake." + p.table)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(sent.valid.size());
        assertThat(rs.getLong(2)).isEqualTo(sent.valid.size());
      }
    } finally {
      Pipelines.cancel(job);
    }
  }

  @Test
  void newFieldsBecomeColumnsConflictsAreDeadLetteredAndAPartitionChangeIsFollowed(
      EmbeddedStack stack) throws Exception {
    Pipelines p = new Pipelines(stack, "evolve");
    Random random = new Random(9);
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 200, 0, new Pipelines.Sent(), random);
    int before = sent.valid.size();
    String table = "iceberg.lake." + p.table;

    JobClient job =
        FloeJobMain.start(
            p.settings(
                "--floe.maintenance.enabled", "false",
                "--floe.iceberg.table-refresh-interval", "1s"));
    try (Connection trino = trino(stack)) {
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= before);

      // new fields mid-stream: cartValue (double), campaign (string), firstVisit (boolean)
      List<ObjectNode> extended = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ObjectNode e = event(i);
        e.put("cartValue", i + 0.5);
        e.put("campaign", "spring");
        e.put("firstVisit", i % 2 == 0);
        extended.add(e);
      }
      send(stack, p.raw, extended);
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(
              () ->
                  longOf(trino, "SELECT count(*) FROM " + table + " WHERE campaign = 'spring'")
                      == 20);
      assertThat(longOf(trino, "SELECT count(*) FROM " + table + " WHERE cart_value IS NULL"))
          .isEqualTo(before);
      assertThat(longOf(trino, "SELECT count(*) FROM " + table + " WHERE first_visit"))
          .isEqualTo(10);
      assertThat(longOf(trino, "SELECT round(sum(cart_value) * 10) FROM " + table))
          .isEqualTo(2000); // sum of i + 0.5 for i < 20 = 200
      // appended after the contract's columns (their order among themselves is not defined)
      List<String> columns = columns(trino, p);
      assertThat(columns.subList(10, columns.size()))
          .containsExactlyInAnyOrder(
              "cart_value double", "campaign varchar", "first_visit boolean");

      // a conflicting type later: dead-lettered, in neither the table nor events.clean
      ObjectNode conflict = event(100);
      conflict.put("cartValue", "expensive");
      ObjectNode after = event(101);
      after.put("cartValue", 7);
      send(stack, p.raw, List.of(conflict, after));
      String afterId = after.get("eventId").asText();
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  longOf(
                          trino,
                          "SELECT count(*) FROM " + table + " WHERE event_id = '" + afterId + "'")
                      == 1);
      String conflictId = conflict.get("eventId").asText();
      assertThat(
              longOf(
                  trino,
                  "SELECT count(*) FROM " + table + " WHERE event_id = '" + conflictId + "'"))
          .isZero();
      await().atMost(TIMEOUT).until(() -> p.cleanEventIds().contains(afterId));
      assertThat(p.cleanEventIds()).doesNotContain(conflictId);
      List<JsonNode> conflicts =
          p.readCommitted(p.dlq).stream()
              .map(r -> Pipelines.json(r.value()))
              .filter(l -> l.get("reason").asText().equals("SCHEMA_CONFLICT"))
              .toList();
      assertThat(conflicts).hasSize(1);
      assertThat(conflicts.get(0).get("payload").asText()).contains(conflictId);
      assertThat(conflicts.get(0).get("detail").asText()).contains("cart_value");
      int rowsBeforeAlter = before + 21;
      assertThat(longOf(trino, "SELECT count(*) FROM " + table)).isEqualTo(rowsBeforeAlter);

      // partition evolution through Trino while the job runs
      String result = checksum(trino, p);
      try (Statement st = trino.createStatement()) {
        // through the admin catalog: the lake's catalog is read-only for every user
        st.execute(
            "ALTER TABLE "
                + EmbeddedStack.TRINO_ADMIN_CATALOG
                + ".lake."
                + p.table
                + " SET PROPERTIES partitioning = ARRAY['hour(occurred_at)']");
      }
      assertThat(checksum(trino, p)).isEqualTo(result);
      Pipelines.produce(p.raw, stack.kafkaBootstrapServers(), 200, 1_000, sent, random);
      int total = sent.valid.size() + 21;
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= total);
      assertThat(longOf(trino, "SELECT count(*) FROM " + table)).isEqualTo(total);
      assertThat(longOf(trino, "SELECT count(DISTINCT event_id) FROM " + table)).isEqualTo(total);
      // old files keep spec 0 (day), the new ones are written with spec 1 (hour)
      assertThat(longOf(trino, "SELECT count(*) FROM \"" + p.table + "$files\" WHERE spec_id = 0"))
          .isPositive();
      assertThat(
              longOf(
                  trino,
                  "SELECT count(*) FROM iceberg.lake.\""
                      + p.table
                      + "$files\" WHERE spec_id = 1 AND partition.occurred_at_hour IS NOT NULL"))
          .isPositive();
      // the job did not evolve the table back
      Table t = p.catalog().loadTable(TableIdentifier.of("lake", p.table));
      assertThat(t.spec().fields().get(0).transform().toString()).isEqualTo("hour");
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      Pipelines.cancel(job);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static ObjectNode event(int i) {
    ObjectNode node = Pipelines.JSON.createObjectNode();
    node.put("eventId", UUID.randomUUID().toString());
    node.put("type", "checkout");
    node.put("occurredAt", Instant.parse("2025-06-01T10:00:00Z").plusSeconds(i * 60L).toString());
    return node;
  }

  private static void send(EmbeddedStack stack, String topic, List<ObjectNode> events)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ObjectNode e : events) {
        // one key: one partition, so the conflicting event is read before the one after it
        producer.send(
            new ProducerRecord<>(topic, "k".getBytes(), Pipelines.JSON.writeValueAsBytes(e)));
      }
      producer.flush();
    }
  }

  private static Connection trino(EmbeddedStack stack) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", EmbeddedStack.TRINO_ADMIN_USER);
    return DriverManager.getConnection(stack.trinoJdbcUrl(), props);
  }

  private static long longOf(Connection trino, String sql) throws SQLException {
    try (Statement st = trino.createStatement();
        ResultSet rs = st.executeQuery(sql.replace("FROM \"", "FROM iceberg.lake.\""))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long dataFiles(Connection trino, Pipelines p) throws SQLException {
    return longOf(trino, "SELECT count(*) FROM \"" + p.table + "$files\" WHERE content = 0");
  }

  /** Row count plus an order-independent checksum over every column of the contract. */
  private static String checksum(Connection trino, Pipelines p) throws SQLException {
    try (Statement st = trino.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), to_hex(checksum(concat_ws('|', event_id, type,"
                    + " coalesce(user_id, '-'), cast(occurred_at AS varchar),"
                    + " coalesce(json_format(cast(properties AS json)), '-'), coalesce(source, '-'), coalesce(cast(produced_at AS varchar), '-'), cast(ingested_at AS"
                    + " varchar), cast(kafka_partition AS varchar), cast(kafka_offset AS"
                    + " varchar)))), sum(cardinality(properties)) FROM iceberg.lake."
                    + p.table)) {
      rs.next();
      return rs.getLong(1) + "/" + rs.getString(2) + "/" + rs.getLong(3);
    }
  }

  private static List<String> columns(Connection trino, Pipelines p) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement st = trino.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, data_type FROM iceberg.information_schema.columns"
                    + " WHERE table_schema = 'lake' AND table_name = '"
                    + p.table
                    + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        columns.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return columns;
  }

  private static List<Long> snapshotIds(org.apache.iceberg.catalog.Catalog catalog, Pipelines p) {
    Table t = catalog.loadTable(TableIdentifier.of("lake", p.table));
    List<Long> ids = new ArrayList<>();
    for (Snapshot s : t.snapshots()) {
      ids.add(s.snapshotId());
    }
    return ids;
  }
}
