package dev.floe.query.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code GET /tables/events} on a table of its own that the steps change in order: four one-row
 * inserts (one snapshot and one data file each), a compaction ({@code optimize}), a snapshot
 * expiry, and a partition evolution from {@code day} to {@code hour}, all done through Trino as the
 * admin user, as the Flink job's maintenance and {@code floe partition-by} do.
 */
@QuarkusTest
@TestProfile(TableHealthIT.OwnTable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TableHealthIT {

  /** Its own table: the shared test lake's snapshots must stay as the other tests expect them. */
  public static class OwnTable implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(HealthTable.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  /** Creates an empty day-partitioned events table and points the service at it. */
  public static class HealthTable implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      EmbeddedStack stack = SharedStack.get(Service.POSTGRES, Service.TRINO);
      String schema =
          "iceberg.qh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection c = Lake.connect(stack.trinoJdbcUrl(), EmbeddedStack.TRINO_ADMIN_USER);
          Statement s = c.createStatement()) {
        String writable = EmbeddedStack.inAdminCatalog(schema);
        s.execute("CREATE SCHEMA " + writable);
        s.execute(
            "CREATE TABLE "
                + writable
                + ".events (event_id varchar, type varchar, user_id varchar,"
                + " occurred_at timestamp(6) with time zone)"
                + " WITH (partitioning = ARRAY['day(occurred_at)'])");
      } catch (SQLException e) {
        throw new IllegalStateException("creating the health test table failed", e);
      }
      return Map.of(
          "floe.query.trino.url",
          stack.trinoJdbcUrl(),
          "floe.query.events-table",
          schema + ".events");
    }

    @Override
    public void stop() {
      // the shared stack outlives the application; its shutdown hook stops it
    }
  }

  /** A query whose answer must not change with compaction or partition evolution. */
  private static final String FIXED_QUERY =
      "SELECT event_id, type, user_id, CAST(occurred_at AS varchar) FROM %s"
          + " WHERE occurred_at >= TIMESTAMP '2024-05-01 10:30:00 UTC' ORDER BY event_id";

  private static final String CHECKSUM_QUERY =
      "SELECT count(*), to_hex(checksum(event_id || '|' || type || '|' || user_id || '|'"
          + " || CAST(occurred_at AS varchar))) FROM %s";

  private final String table =
      ConfigProvider.getConfig().getValue("floe.query.events-table", String.class);

  /** The same table in the admin catalog, for writes: the lake's catalog is read-only. */
  private final String writable = EmbeddedStack.inAdminCatalog(table);

  private static JsonPath health() {
    return given().get("/tables/events").then().statusCode(200).extract().jsonPath();
  }

  @Test
  @Order(1)
  void rowsFilesSnapshotsAndPartitionsAfterFourInserts() throws SQLException {
    JsonPath empty = health();
    assertThat(empty.getLong("rows")).isZero();
    assertThat(empty.getLong("dataFiles")).isZero();
    assertThat(empty.<Object>get("averageDataFileBytes")).isNull();
    assertThat(empty.getLong("snapshots.count")).isEqualTo(1);

    insert("e-1", "click", "u-1", "2024-05-01 10:00:00");
    insert("e-2", "view", "u-2", "2024-05-01 11:00:00");
    insert("e-3", "click", "u-1", "2024-05-01 12:00:00");
    insert("e-4", "purchase", "u-3", "2024-05-02 09:00:00");

    JsonPath h = health();
    long bytes = admin("SELECT sum(file_size_in_bytes) FROM " + meta("files")).get(0);
    assertThat(h.getString("table")).isEqualTo(table);
    assertThat(h.getLong("rows")).isEqualTo(4);
    assertThat(h.getLong("dataFiles")).isEqualTo(4);
    assertThat(h.getLong("deleteFiles")).isZero();
    assertThat(h.getLong("totalDataFileBytes")).isEqualTo(bytes);
    assertThat(h.getLong("averageDataFileBytes")).isEqualTo(Math.round(bytes / 4.0));
    // the table's creation and one per insert
    assertThat(h.getLong("snapshots.count")).isEqualTo(5);
    assertThat(h.getLong("partitions.count")).isEqualTo(2);
    assertThat(h.getList("partitions.fields")).containsExactly("occurred_at_day");
    assertThat(h.getList("partitions.specs", Map.class))
        .containsExactly(Map.of("specId", 0, "dataFiles", 4, "rows", 4));

    long newest =
        admin(
                "SELECT snapshot_id FROM "
                    + meta("snapshots")
                    + " ORDER BY committed_at DESC, snapshot_id DESC LIMIT 1")
            .get(0);
    assertThat(h.getLong("lastCommit.snapshotId")).isEqualTo(newest);
    assertThat(h.getString("lastCommit.operation")).isEqualTo("append");
    assertThat(h.getLong("lastCommit.addedDataFiles")).isEqualTo(1);
    assertThat(h.getString("lastCommit.committedAt"))
        .isEqualTo(h.getString("snapshots.newestCommittedAt"))
        .matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(h.getString("snapshots.oldestCommittedAt"))
        .isLessThan(h.getString("snapshots.newestCommittedAt"));
    assertThat(h.<Object>get("lastMaintenance.compaction")).isNull();
    assertThat(h.getBoolean("lastMaintenance.snapshotsExpired")).isFalse();
    assertThat(h.getString("lastMaintenance.oldestRetainedSnapshotAt"))
        .isEqualTo(h.getString("snapshots.oldestCommittedAt"));
  }

  @Test
  @Order(2)
  void compactionIsTheLastMaintenance() throws SQLException {
    List<List<Object>> before = rows(FIXED_QUERY);
    List<Object> checksum = adminRow(String.format(CHECKSUM_QUERY, table));

    execute("ALTER TABLE " + writable + " EXECUTE optimize");

    JsonPath h = health();
    // the three files of 2024-05-01 became one; 2024-05-02 keeps one
    assertThat(h.getLong("dataFiles")).isEqualTo(2);
    assertThat(h.getLong("rows")).isEqualTo(4);
    assertThat(h.getLong("snapshots.count")).isEqualTo(6);
    assertThat(h.getString("lastCommit.operation")).isEqualTo("replace");
    assertThat(h.getLong("lastMaintenance.compaction.snapshotId"))
        .isEqualTo(h.getLong("lastCommit.snapshotId"));
    assertThat(h.getString("lastMaintenance.compaction.operation")).isEqualTo("replace");
    assertThat(
            h.getLong("lastMaintenance.compaction.removedDataFiles")
                - h.getLong("lastMaintenance.compaction.addedDataFiles"))
        .isEqualTo(2);
    assertThat(h.getBoolean("lastMaintenance.snapshotsExpired")).isFalse();
    assertThat(rows(FIXED_QUERY)).isEqualTo(before);
    assertThat(adminRow(String.format(CHECKSUM_QUERY, table))).isEqualTo(checksum);
  }

  @Test
  @Order(3)
  void snapshotExpiryShowsAsTheOldestRetainedSnapshot() throws SQLException {
    try (Connection c = Lake.connect(trinoUrl(), EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = c.createStatement()) {
      // Trino refuses a retention under 7 days unless the session lowers its floor
      s.execute(
          "SET SESSION "
              + EmbeddedStack.TRINO_ADMIN_CATALOG
              + ".expire_snapshots_min_retention = '0s'");
      s.execute(
          "ALTER TABLE " + writable + " EXECUTE expire_snapshots(retention_threshold => '0s')");
    }

    JsonPath h = health();
    assertThat(h.getLong("snapshots.count")).isEqualTo(1);
    assertThat(h.getBoolean("lastMaintenance.snapshotsExpired")).isTrue();
    assertThat(h.getString("lastMaintenance.oldestRetainedSnapshotAt"))
        .isEqualTo(h.getString("lastCommit.committedAt"));
    assertThat(h.getLong("lastMaintenance.compaction.snapshotId"))
        .isEqualTo(h.getLong("lastCommit.snapshotId"));
    assertThat(h.getLong("rows")).isEqualTo(4);
  }

  @Test
  @Order(4)
  void partitionEvolutionKeepsOldFilesAndAnswers() throws SQLException {
    List<List<Object>> before = rows(FIXED_QUERY);
    List<Object> checksum = adminRow(String.format(CHECKSUM_QUERY, table));

    // what `floe partition-by 'hour(occurred_at)'` runs
    execute(
        "ALTER TABLE " + writable + " SET PROPERTIES partitioning = ARRAY['hour(occurred_at)']");

    assertThat(rows(FIXED_QUERY)).isEqualTo(before);
    assertThat(adminRow(String.format(CHECKSUM_QUERY, table))).isEqualTo(checksum);

    insert("e-5", "click", "u-4", "2024-05-01 12:30:00");

    List<List<Object>> files =
        adminRows(
            "SELECT spec_id, record_count, partition.occurred_at_day IS NULL,"
                + " partition.occurred_at_hour FROM "
                + meta("files")
                + " ORDER BY spec_id, record_count");
    // the old files keep the day layout; the new one is written by the hour
    assertThat(files)
        .containsExactly(
            List.of(0L, 1L, false, "null"),
            List.of(0L, 3L, false, "null"),
            List.of(1L, 1L, true, 476268L));
    List<List<Object>> after = rows(FIXED_QUERY);
    assertThat(after).hasSize(before.size() + 1);
    assertThat(after).containsAll(before);

    JsonPath h = health();
    assertThat(h.getLong("rows")).isEqualTo(5);
    assertThat(h.getLong("dataFiles")).isEqualTo(3);
    assertThat(h.getList("partitions.fields"))
        .containsExactly("occurred_at_day", "occurred_at_hour");
    assertThat(h.getList("partitions.specs", Map.class))
        .containsExactly(
            Map.of("specId", 0, "dataFiles", 2, "rows", 4),
            Map.of("specId", 1, "dataFiles", 1, "rows", 1));
    assertThat(h.getString("lastCommit.operation")).isEqualTo("append");
    // the compaction stays the last maintenance after ordinary commits
    assertThat(h.getString("lastMaintenance.compaction.operation")).isEqualTo("replace");
  }

  private String trinoUrl() {
    return ConfigProvider.getConfig().getValue("floe.query.trino.url", String.class);
  }

  private String meta(String kind) {
    int dot = table.lastIndexOf('.');
    return table.substring(0, dot) + ".\"" + table.substring(dot + 1) + "$" + kind + "\"";
  }

  private void insert(String id, String type, String user, String occurred) throws SQLException {
    execute(
        "INSERT INTO "
            + writable
            + " VALUES ('"
            + id
            + "', '"
            + type
            + "', '"
            + user
            + "', TIMESTAMP '"
            + occurred
            + " UTC')");
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = Lake.connect(trinoUrl(), EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<Long> admin(String sql) throws SQLException {
    return adminRow(sql).stream().map(v -> Long.valueOf(v.toString())).toList();
  }

  private List<Object> adminRow(String sql) throws SQLException {
    return adminRows(sql).get(0);
  }

  private List<List<Object>> adminRows(String sql) throws SQLException {
    try (Connection c = Lake.connect(trinoUrl(), EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof Number num ? (Object) num.longValue() : v == null ? "null" : v);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** The fixed query's rows, read as the service's read-only user through {@code /query}. */
  private List<List<Object>> rows(String query) {
    return given()
        .queryParam("sql", String.format(query, table))
        .get("/query")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("rows");
  }
}
