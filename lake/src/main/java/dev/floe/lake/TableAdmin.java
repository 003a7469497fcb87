package dev.floe.lake;

import dev.floe.infra.EmbeddedStack;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The admin commands on the events table, run through Trino as {@link
 * EmbeddedStack#TRINO_ADMIN_USER}: {@code floe table} shows its partitioning and where its data
 * files are, {@code floe partition-by FIELDS} changes the partitioning in place.
 *
 * <p>Changing the partitioning is an Iceberg metadata commit: files already written keep their
 * layout (and their partition spec id), files written from then on use the new spec, and queries
 * return the same rows because Iceberg plans every file with the spec it was written with. The
 * Flink job picks the new spec up on its next commit.
 */
public final class TableAdmin {

  private TableAdmin() {}

  /**
   * Makes {@code fields} the partitioning of {@code table} and prints the old and the new one.
   *
   * @param jdbcUrl the Trino JDBC URL
   * @param table the fully qualified table
   * @param fields partition fields from {@link Partitioning#parse}
   * @param out where the result goes
   * @return the exit status
   * @throws SQLException when Trino refuses or cannot be reached
   */
  public static int partitionBy(String jdbcUrl, String table, List<String> fields, PrintStream out)
      throws SQLException {
    try (Connection c = admin(jdbcUrl);
        Statement s = c.createStatement()) {
      List<String> before = partitioning(s, table);
      out.println("table:            " + table);
      out.println("old partitioning: " + Partitioning.arrayLiteral(before));
      if (before.equals(fields)) {
        out.println("unchanged: the table is already partitioned that way");
        return 0;
      }
      // through the admin catalog: the lake's catalog is read-only for every user
      executeCommit(s, Partitioning.alterStatement(EmbeddedStack.inAdminCatalog(table), fields));
      out.println("new partitioning: " + Partitioning.arrayLiteral(partitioning(s, table)));
      out.println(
          "Files already written keep their layout; new files use the new partitioning."
              + " Queries return the same rows.");
      return 0;
    }
  }

  /** Attempts of a metadata commit that loses the race against the job's own commits. */
  static final int COMMIT_ATTEMPTS = 10;

  /**
   * Runs a statement that commits table metadata, again when it lost the race against a concurrent
   * commit: the job commits every second, and Trino's Iceberg connector does not retry ("Failed to
   * commit the transaction during set table properties: Table metadata refresh is required").
   */
  static void executeCommit(Statement s, String sql) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        s.execute(sql);
        return;
      } catch (SQLException e) {
        // the next attempt reads the table's new metadata and commits on top of it
        if (attempt >= COMMIT_ATTEMPTS || !lostCommitRace(e)) {
          throw e;
        }
      }
    }
  }

  /** Whether Trino refused a commit because the table changed under it. */
  static boolean lostCommitRace(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("Table metadata refresh is required")
        || m.contains("CommitFailedException")
        || m.contains("Cannot commit");
  }

  /**
   * Prints the partitioning of {@code table} and its data files per partition spec.
   *
   * @param jdbcUrl the Trino JDBC URL
   * @param table the fully qualified table
   * @param out where the result goes
   * @return the exit status
   * @throws SQLException when Trino refuses or cannot be reached
   */
  public static int show(String jdbcUrl, String table, PrintStream out) throws SQLException {
    try (Connection c = admin(jdbcUrl);
        Statement s = c.createStatement()) {
      out.println("table:        " + table);
      out.println("partitioning: " + Partitioning.arrayLiteral(partitioning(s, table)));
      List<String> specs = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT spec_id, count(*), sum(record_count), sum(file_size_in_bytes) FROM "
                  + metadataTable(table, "files")
                  + " WHERE content = 0 GROUP BY spec_id ORDER BY spec_id")) {
        while (rs.next()) {
          specs.add(
              String.format(
                  "  spec %d: %d data files, %d rows, %d bytes",
                  rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
      out.println(specs.isEmpty() ? "data files:   none" : "data files by partition spec:");
      specs.forEach(out::println);
      return 0;
    }
  }

  /**
   * The table's partitioning as {@code SHOW CREATE TABLE} states it (Trino has no metadata table
   * with the current spec; {@code $files} only knows the specs files were written with).
   *
   * @param s a statement of an admin connection ({@code SHOW CREATE TABLE} needs ownership)
   * @param table the fully qualified table
   * @return the fields, empty when unpartitioned
   * @throws SQLException when Trino refuses
   */
  static List<String> partitioning(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table)) {
      if (!rs.next()) {
        throw new SQLException("SHOW CREATE TABLE " + table + " returned nothing");
      }
      return Partitioning.fromCreateTable(rs.getString(1));
    }
  }

  static String metadataTable(String table, String kind) {
    int dot = table.lastIndexOf('.');
    return table.substring(0, dot) + ".\"" + table.substring(dot + 1) + "$" + kind + "\"";
  }

  static Connection admin(String jdbcUrl) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", EmbeddedStack.TRINO_ADMIN_USER);
    // the driver directly: DriverManager does not see its registration from every class loader
    return new io.trino.jdbc.TrinoDriver().connect(jdbcUrl, p);
  }
}
