package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/** What the job writes is what Trino reads: iceberg.lake.<table> through the shared JDBC catalog. */
@FloeStack({Service.KAFKA, Service.POSTGRES, Service.TRINO})
class LakeTableTrinoIT {

  @Test
  void trinoReadsTheTableWithTheExpectedColumnTypesAndRows(EmbeddedStack stack) throws Exception {
    Pipelines p = new Pipelines(stack, "trino");
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 300, 0, new Pipelines.Sent(), new Random(3));
    int expected = sent.valid.size();

    JobClient job = p.start();
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> p.committedRows() >= expected);
    } finally {
      Pipelines.cancel(job);
    }

    Properties props = new Properties();
    props.setProperty("user", EmbeddedStack.TRINO_ADMIN_USER);
    try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), props)) {
      List<String> columns = new ArrayList<>();
      try (PreparedStatement st =
          trino.prepareStatement(
              "SELECT column_name, data_type FROM iceberg.information_schema.columns"
                  + " WHERE table_schema = 'lake' AND table_name = ? ORDER BY ordinal_position")) {
        st.setString(1, p.table);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            columns.add(rs.getString(1) + " " + rs.getString(2));
          }
        }
      }
      assertThat(columns)
          .containsExactly(
              "event_id varchar",
              "type varchar",
              "user_id varchar",
              "occurred_at timestamp(6) with time zone",
              "properties map(varchar, varchar)",
              "source varchar",
              "produced_at timestamp(6) with time zone",
              "ingested_at timestamp(6) with time zone",
              "kafka_partition integer",
              "kafka_offset bigint");

      String table = "iceberg.lake." + p.table;
      try (ResultSet rs =
          trino
              .createStatement()
              .executeQuery("SELECT count(*), count(DISTINCT event_id) FROM " + table)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(expected);
        assertThat(rs.getLong(2)).isEqualTo(expected);
      }

      // every sent event, field by field
      int checked = 0;
      try (ResultSet rs =
          trino
              .createStatement()
              .executeQuery(
                  "SELECT event_id, type, user_id, occurred_at, properties, source, produced_at,"
                      + " ingested_at, kafka_partition, kafka_offset FROM "
                      + table)) {
        while (rs.next()) {
          JsonNode source = sent.valid.get(rs.getString("event_id"));
          assertThat(source).isNotNull();
          assertThat(rs.getString("type")).isEqualTo(source.get("type").asText());
          assertThat(rs.getString("user_id"))
              .isEqualTo(source.has("userId") ? source.get("userId").asText() : null);
          assertThat(rs.getObject("occurred_at", ZonedDateTime.class).toInstant())
              .isEqualTo(Instant.parse(source.get("occurredAt").asText()));
          @SuppressWarnings("unchecked")
          Map<String, String> properties = (Map<String, String>) rs.getObject("properties");
          if (source.has("properties")) {
            assertThat(properties)
                .containsEntry("plan", source.get("properties").get("plan").asText())
                .containsEntry("n", source.get("properties").get("n").asText());
          } else {
            assertThat(properties).isNull();
          }
          assertThat(rs.getString("source")).isEqualTo("it-producer");
          assertThat(rs.getObject("produced_at", ZonedDateTime.class).toInstant())
              .isEqualTo(
                  Instant.parse(source.get("producedAt").asText())
                      .truncatedTo(java.time.temporal.ChronoUnit.MICROS));
          assertThat(rs.getObject("ingested_at", ZonedDateTime.class)).isNotNull();
          assertThat(rs.getInt("kafka_partition")).isBetween(0, 1);
          assertThat(rs.getLong("kafka_offset")).isNotNegative();
          checked++;
        }
      }
      assertThat(checked).isEqualTo(expected);

      // hidden partitioning by day(occurred_at)
      try (ResultSet rs =
          trino
              .createStatement()
              .executeQuery("SELECT count(*) FROM iceberg.lake.\"" + p.table + "$partitions\"")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1L); // 300 events * 17 s: all on 2025-06-01
      }
    }
  }
}
