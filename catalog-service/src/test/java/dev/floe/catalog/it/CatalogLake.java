package dev.floe.catalog.it;

import dev.floe.contract.LakeNames;
import dev.floe.contract.LakeSchema;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * The lake the catalog-service fronts in the tests: the JVM's shared embedded PostgreSQL (the JDBC
 * catalog) and Trino, and the table {@code lake.events} created as the job creates it (its schema
 * from {@link LakeSchema}), evolved by one column as the job evolves it for a new field, and seeded
 * through Trino's admin catalog in two commits.
 */
public final class CatalogLake {

  /** The column added by schema evolution. */
  public static final String EVOLVED = "plan";

  /** Rows seeded. */
  public static final int ROWS = 5;

  public static final TableIdentifier EVENTS =
      TableIdentifier.of(LakeNames.NAMESPACE, LakeNames.TABLE);

  private static CatalogLake lake;

  public final EmbeddedStack stack;

  private CatalogLake(EmbeddedStack stack) {
    this.stack = stack;
  }

  public static synchronized CatalogLake get() {
    if (lake == null) {
      EmbeddedStack stack = SharedStack.get(Service.POSTGRES, Service.TRINO);
      lake = new CatalogLake(stack);
      // Quarkus loads test classes again for each test profile: seed once per JVM
      if (System.getProperty(SEEDED) == null) {
        lake.seed();
        System.setProperty(SEEDED, "true");
      }
    }
    return lake;
  }

  private static final String SEEDED = "catalog-service-it.seeded";

  /** The JDBC catalog as the job opens it: the store behind the REST catalog. */
  public JdbcCatalog jdbcCatalog() {
    Map<String, String> props = stack.catalogProperties();
    props.put(CatalogProperties.FILE_IO_IMPL, HadoopFileIO.class.getName());
    return (JdbcCatalog)
        CatalogUtil.buildIcebergCatalog(stack.catalogName(), props, new Configuration());
  }

  private void seed() {
    try (JdbcCatalog catalog = jdbcCatalog()) {
      Namespace ns = Namespace.of(LakeNames.NAMESPACE);
      if (!catalog.namespaceExists(ns)) {
        catalog.createNamespace(ns);
      }
      Table table =
          catalog.createTable(
              EVENTS, LakeSchema.SCHEMA, LakeSchema.SPEC, Map.of("format-version", "2"));
      table.updateSchema().addColumn(EVOLVED, Types.StringType.get()).commit();
    }
    String t = EmbeddedStack.inAdminCatalog(LakeNames.TRINO_TABLE);
    try (Connection c = trino(EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO "
              + t
              + " VALUES "
              + row("e-1", "click", "u-1", "2024-05-01 10:00:00", "'page'", "'/home'", 0, 1, "pro")
              + ", "
              + row("e-2", "view", "u-2", "2024-05-01 10:00:30", null, null, 1, 1, null)
              + ", "
              + row("e-3", "click", "u-1", "2024-05-02 10:05:00", "'page'", "'/cart'", 0, 2, null));
      s.execute(
          "INSERT INTO "
              + t
              + " VALUES "
              + row(
                  "e-4",
                  "purchase",
                  "u-3",
                  "2024-05-02 11:00:00",
                  "'amount'",
                  "'9.99'",
                  1,
                  2,
                  "free")
              + ", "
              + row("e-5", "click", "u-4", "2024-05-03 11:30:00", null, null, 0, 3, null));
    } catch (SQLException e) {
      throw new IllegalStateException("seeding lake.events failed", e);
    }
  }

  private static String row(
      String id,
      String type,
      String user,
      String occurred,
      String key,
      String value,
      int partition,
      long offset,
      String plan) {
    String ts = "TIMESTAMP '" + occurred + " UTC'";
    return "('"
        + id
        + "', '"
        + type
        + "', '"
        + user
        + "', "
        + ts
        + ", "
        + (key == null ? "NULL" : "MAP(ARRAY[" + key + "], ARRAY[" + value + "])")
        + ", 'producer-1', "
        + ts
        + " + INTERVAL '1' SECOND, "
        + ts
        + " + INTERVAL '2' SECOND, "
        + partition
        + ", "
        + offset
        + ", "
        + (plan == null ? "NULL" : "'" + plan + "'")
        + ")";
  }

  public Connection trino(String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    // the driver directly: Quarkus test class loaders do not see DriverManager's registration
    return new io.trino.jdbc.TrinoDriver().connect(stack.trinoJdbcUrl(), p);
  }

  /** One number from Trino, read as the query user (through the read-only catalog). */
  public long trinoLong(String sql) throws SQLException {
    try (Connection c = trino(EmbeddedStack.TRINO_QUERY_USER);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** One text value from Trino, read as the query user. */
  public String trinoString(String sql) throws SQLException {
    try (Connection c = trino(EmbeddedStack.TRINO_QUERY_USER);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
