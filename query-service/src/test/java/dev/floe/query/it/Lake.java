package dev.floe.query.it;

import dev.floe.contract.LakeNames;
import dev.floe.contract.LakeSchema;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * The lake the integration tests read: the JVM's shared embedded Trino and catalog, and an events
 * table of this test run's own ({@code iceberg.qs_<random>.events}) seeded as the admin user in two
 * commits, so that time travel has an older state to return.
 *
 * <p>The table is the lake's own: created in the Iceberg JDBC catalog from the schema the Flink job
 * creates {@code lake.events} with ({@link LakeSchema}: {@code properties} a {@code map(varchar,
 * varchar)}), and evolved by one column ({@link #EVOLVED}) as the job evolves it for a new field.
 */
public final class Lake {

  /** Events of the first commit. */
  public static final int FIRST_COMMIT_ROWS = 3;

  /** Events of both commits. */
  public static final int ALL_ROWS = 5;

  /** The column added by schema evolution (a string, as the job adds one for a text field). */
  public static final String EVOLVED = "plan";

  /** A user id that looks like an injection, stored as a real value. */
  public static final String TRICKY_USER = "u-'; DROP TABLE events; --";

  private static Lake lake;

  static {
    // A failing HTTP assertion shows the request and the answer (the error detail) in the report.
    io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  public final EmbeddedStack stack;
  public final String schema;
  public final String table;

  /** Snapshot ids in commit order: the table's creation, the first insert, the second insert. */
  public final List<Long> snapshots;

  private Lake(EmbeddedStack stack, String schema, List<Long> snapshots) {
    this.stack = stack;
    this.schema = schema;
    this.table = schema + ".events";
    this.snapshots = snapshots;
  }

  public static synchronized Lake get() {
    if (lake == null) {
      EmbeddedStack stack = SharedStack.get(Service.POSTGRES, Service.TRINO);
      // Quarkus loads test classes again for each test profile; a system property carries the
      // seeded
      // schema across those class loaders so the table is seeded once per JVM.
      String seeded = System.getProperty(SCHEMA_PROPERTY);
      lake = seeded == null ? seed(stack) : new Lake(stack, seeded, snapshots(stack, seeded));
      System.setProperty(SCHEMA_PROPERTY, lake.schema);
    }
    return lake;
  }

  private static final String SCHEMA_PROPERTY = "query-service-it.lake-schema";

  private static List<Long> snapshots(EmbeddedStack stack, String schema) {
    try (Connection c = connect(stack.trinoJdbcUrl(), EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = c.createStatement()) {
      return snapshots(s, schema);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the test lake's snapshots failed", e);
    }
  }

  private static List<Long> snapshots(Statement s, String schema) throws SQLException {
    List<Long> snapshots = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT snapshot_id FROM "
                + schema
                + ".\"events$snapshots\" ORDER BY committed_at, snapshot_id")) {
      while (rs.next()) {
        snapshots.add(rs.getLong(1));
      }
    }
    return List.copyOf(snapshots);
  }

  private static Lake seed(EmbeddedStack stack) {
    String namespace = "qs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String schema = LakeNames.TRINO_CATALOG + "." + namespace;
    createAsTheJobDoes(stack, namespace);
    // written through the admin catalog: the lake's catalog is read-only for every user
    String writable = EmbeddedStack.inAdminCatalog(schema);
    try (Connection c = connect(stack.trinoJdbcUrl(), EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO "
              + writable
              + ".events VALUES "
              + row(
                  "e-1",
                  "click",
                  "u-1",
                  "2024-05-01 10:00:00.123456",
                  "MAP(ARRAY['page'], ARRAY['/home'])",
                  0,
                  1,
                  "'pro'")
              + ", "
              + row(
                  "e-2",
                  "view",
                  "u-2",
                  "2024-05-01 10:00:30",
                  "CAST(MAP() AS map(varchar, varchar))",
                  1,
                  1,
                  "NULL")
              + ", "
              + row("e-3", "click", "u-1", "2024-05-01 10:05:00", "NULL", 0, 2, "NULL"));
      s.execute(
          "INSERT INTO "
              + writable
              + ".events VALUES "
              + row(
                  "e-4",
                  "purchase",
                  "u-3",
                  "2024-05-01 11:00:00",
                  "MAP(ARRAY['amount'], ARRAY['9.99'])",
                  1,
                  2,
                  "'free'")
              + ", "
              + row("e-5", "click", TRICKY_USER, "2024-05-01 11:30:00", "NULL", 0, 3, "NULL"));
      return new Lake(stack, schema, snapshots(s, schema));
    } catch (SQLException e) {
      throw new IllegalStateException("seeding the test lake failed", e);
    }
  }

  /**
   * The table as the job creates it (schema, partitioning, format v2) in the Iceberg JDBC catalog
   * Trino reads, then one column added by schema evolution.
   */
  private static void createAsTheJobDoes(EmbeddedStack stack, String namespace) {
    Map<String, String> props = stack.catalogProperties();
    props.put(CatalogProperties.FILE_IO_IMPL, HadoopFileIO.class.getName());
    try (JdbcCatalog catalog =
        (JdbcCatalog)
            CatalogUtil.buildIcebergCatalog(
                stack.catalogName(), props, new org.apache.hadoop.conf.Configuration())) {
      catalog.createNamespace(Namespace.of(namespace));
      Table table =
          catalog.createTable(
              TableIdentifier.of(namespace, LakeNames.TABLE),
              LakeSchema.SCHEMA,
              LakeSchema.SPEC,
              Map.of("format-version", "2"));
      table.updateSchema().addColumn(EVOLVED, Types.StringType.get()).commit();
    }
  }

  private static String row(
      String id,
      String type,
      String user,
      String occurred,
      String properties,
      int partition,
      long offset,
      String plan) {
    return "('"
        + id
        + "', '"
        + type
        + "', '"
        + user.replace("'", "''")
        + "', TIMESTAMP '"
        + occurred
        + " UTC', "
        + properties
        + ", 'producer-1', TIMESTAMP '"
        + occurred
        + " UTC' + INTERVAL '1' SECOND, TIMESTAMP '"
        + occurred
        + " UTC' + INTERVAL '2' SECOND, "
        + partition
        + ", "
        + offset
        + ", "
        + plan
        + ")";
  }

  public static Connection connect(String url, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    // The driver directly, not DriverManager: Quarkus test class loaders do not see its
    // registration.
    return new io.trino.jdbc.TrinoDriver().connect(url, p);
  }

  public Connection admin() throws SQLException {
    return connect(stack.trinoJdbcUrl(), EmbeddedStack.TRINO_ADMIN_USER);
  }

  public Connection asQueryUser() throws SQLException {
    return connect(stack.trinoJdbcUrl(), EmbeddedStack.TRINO_QUERY_USER);
  }

  /** The number of rows and of snapshots, read as admin: what "unchanged" compares. */
  public String fingerprint() throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM "
                    + table
                    + "), (SELECT count(*) FROM "
                    + schema
                    + ".\"events$snapshots\"), (SELECT count(*) FROM iceberg.information_schema.tables"
                    + " WHERE table_schema = '"
                    + schema.substring(schema.indexOf('.') + 1)
                    + "')")) {
      rs.next();
      return "rows=" + rs.getLong(1) + " snapshots=" + rs.getLong(2) + " tables=" + rs.getLong(3);
    }
  }
}
