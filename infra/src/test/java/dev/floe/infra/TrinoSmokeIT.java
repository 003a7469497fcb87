package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.infra.junit.FloeStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The acceptance smoke test of the platform: Iceberg's Java API writes {@code lake.smoke} through
 * the JDBC catalog, Trino reads exactly those rows, time travel returns the first snapshot's rows
 * only, and Trino's access control keeps {@code floe_query} read-only.
 */
@FloeStack({Service.POSTGRES, Service.TRINO})
class TrinoSmokeIT {

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "name", Types.StringType.get()));

  @Test
  void trinoReadsWhatIcebergWroteAndTravelsBackInTime(EmbeddedStack stack) throws Exception {
    Catalog catalog =
        CatalogUtil.buildIcebergCatalog(
            stack.catalogName(), stack.catalogProperties(), new Configuration());
    TableIdentifier id = TableIdentifier.of("lake", "smoke");
    catalog.dropTable(id, true);
    Table table = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned());

    append(table, row(1, "alpha"), row(2, "beta"));
    long firstSnapshot = table.currentSnapshot().snapshotId();
    append(table, row(3, "gamma"));

    try (Connection trino = connect(stack, EmbeddedStack.TRINO_ADMIN_USER)) {
      assertThat(rows(trino, "SELECT id, name FROM iceberg.lake.smoke ORDER BY id"))
          .containsExactly("1:alpha", "2:beta", "3:gamma");
      assertThat(
              rows(
                  trino,
                  "SELECT id, name FROM iceberg.lake.smoke FOR VERSION AS OF "
                      + firstSnapshot
                      + " ORDER BY id"))
          .containsExactly("1:alpha", "2:beta");
    }
  }

  @Test
  void theQueryUserReadsButCannotWrite(EmbeddedStack stack) throws Exception {
    String name = "acl_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = connect(stack, EmbeddedStack.TRINO_ADMIN_USER);
        Statement s = admin.createStatement()) {
      String writable = EmbeddedStack.TRINO_ADMIN_CATALOG + ".lake." + name;
      s.execute("CREATE TABLE " + writable + " (id bigint)");
      s.execute("INSERT INTO " + writable + " VALUES 7");
      // the lake's catalog is read-only even for the admin; writes go through the admin catalog
      assertThatThrownBy(() -> s.execute("INSERT INTO iceberg.lake." + name + " VALUES 8"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
    }
    try (Connection reader = connect(stack, EmbeddedStack.TRINO_QUERY_USER)) {
      assertThat(rows(reader, "SELECT id FROM iceberg.lake." + name)).containsExactly("7");
      // CREATE TABLE commits an empty snapshot, INSERT a second one
      assertThat(rows(reader, "SELECT count(*) FROM iceberg.lake.\"" + name + "$snapshots\""))
          .containsExactly("2");
      assertThat(rows(reader, "SELECT count(*) > 0 FROM system.runtime.nodes"))
          .containsExactly("true");
      assertThatThrownBy(() -> execute(reader, "INSERT INTO iceberg.lake." + name + " VALUES 8"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
      assertThatThrownBy(
              () -> execute(reader, "CREATE TABLE iceberg.lake.x_" + name + " (id bigint)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
      assertThatThrownBy(() -> execute(reader, "DROP TABLE iceberg.lake." + name))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
      // table procedures rewrite and delete files: Trino's file-based rules cannot refuse them, the
      // read-only catalog does
      assertThatThrownBy(
              () -> execute(reader, "ALTER TABLE iceberg.lake." + name + " EXECUTE optimize"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
      assertThatThrownBy(
              () ->
                  execute(
                      reader,
                      "SELECT * FROM " + EmbeddedStack.TRINO_ADMIN_CATALOG + ".lake." + name))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
    }
  }

  @Test
  void theCatalogsAreFixedByTheConfiguration(EmbeddedStack stack) throws Exception {
    try (Connection admin = connect(stack, EmbeddedStack.TRINO_ADMIN_USER)) {
      assertThat(rows(admin, "SELECT catalog_name FROM system.metadata.catalogs ORDER BY 1"))
          .containsExactly("iceberg", EmbeddedStack.TRINO_ADMIN_CATALOG, "system");
      assertThatThrownBy(() -> execute(admin, "CREATE CATALOG extra USING iceberg"))
          .isInstanceOf(SQLException.class)
          .hasMessageMatching("(?s).*(Access Denied|Catalog store is read only).*");
      assertThatThrownBy(() -> execute(admin, "DROP CATALOG iceberg"))
          .isInstanceOf(SQLException.class)
          .hasMessageMatching("(?s).*(Access Denied|Catalog store is read only).*");
      assertThat(rows(admin, "SELECT catalog_name FROM system.metadata.catalogs ORDER BY 1"))
          .containsExactly("iceberg", EmbeddedStack.TRINO_ADMIN_CATALOG, "system");
    }
  }

  private static Record row(long id, String name) {
    GenericRecord r = GenericRecord.create(SCHEMA);
    r.setField("id", id);
    r.setField("name", name);
    return r;
  }

  // GenericAppenderFactory is deprecated in Iceberg 1.11 but still the short way to write a test
  // file
  @SuppressWarnings("deprecation")
  private static void append(Table table, Record... records) throws Exception {
    OutputFile file =
        table
            .io()
            .newOutputFile(
                table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
    DataWriter<Record> writer =
        new GenericAppenderFactory(SCHEMA)
            .newDataWriter(table.encryption().encrypt(file), FileFormat.PARQUET, null);
    try (writer) {
      for (Record r : records) {
        writer.write(r);
      }
    }
    DataFile dataFile = writer.toDataFile();
    table.newAppend().appendFile(dataFile).commit();
  }

  private static Connection connect(EmbeddedStack stack, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return DriverManager.getConnection(stack.trinoJdbcUrl(), p);
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cols.add(rs.getString(i));
        }
        out.add(String.join(":", cols));
      }
    }
    return out;
  }
}
