package dev.floe.view;

import dev.floe.contract.LakeNames;

/**
 * The SQL of the table's facts, written once for every reader: {@code ./floe status} runs it over
 * Trino's JDBC driver, the query-service's {@code GET /tables/events} through its Trino gateway,
 * the console through the query-service's read-only {@code /query}. Each statement reads Trino's
 * Iceberg metadata tables of one table ({@code "events$snapshots"}, {@code "events$files"}, ...) as
 * the read-only user.
 *
 * <p>What each costs Trino: {@code $snapshots} and {@code $properties} are answered from the
 * table's metadata file; {@code $files} and {@code $partitions} read every manifest (about a second
 * of CPU on a busy table), so a reader that samples often asks {@link #snapshotSummary} only.
 */
public final class TableFacts {

  private TableFacts() {}

  /**
   * A metadata table of a table: {@code iceberg.lake."events$files"} of {@code
   * iceberg.lake.events}, or {@code "events$files"} of {@code events} (in the session's catalog and
   * schema).
   *
   * @param table the table, qualified or not
   * @param kind files, snapshots, partitions, properties, ...
   * @return the metadata table's name
   */
  public static String metadataTable(String table, String kind) {
    int dot = table.lastIndexOf('.');
    return table.substring(0, dot + 1) + "\"" + table.substring(dot + 1) + "$" + kind + "\"";
  }

  /**
   * One row: the rows of the table.
   *
   * @param table the table
   * @return the statement
   */
  public static String rows(String table) {
    return "SELECT count(*) FROM " + table;
  }

  /**
   * One row: the live data files of the table.
   *
   * @param table the table
   * @return the statement
   */
  public static String dataFiles(String table) {
    return "SELECT count(*) FROM " + metadataTable(table, "files") + " WHERE content = 0";
  }

  /**
   * At most one row, the newest snapshot: its id, its commit time (epoch ms) and its operation.
   *
   * @param table the table
   * @return the statement
   */
  public static String lastCommit(String table) {
    return "SELECT snapshot_id, CAST(to_unixtime(committed_at) * 1000 AS bigint), operation"
        + " FROM "
        + metadataTable(table, "snapshots")
        + " ORDER BY committed_at DESC LIMIT 1";
  }

  /**
   * (key, value) rows: the table properties the job records when it registers the table from the
   * warehouse ({@link LakeNames#TABLE_RECOVERED_FROM_PROPERTY}, {@link
   * LakeNames#TABLE_RECOVERED_AT_PROPERTY}).
   *
   * @param table the table
   * @return the statement
   */
  public static String recovery(String table) {
    return "SELECT key, value FROM "
        + metadataTable(table, "properties")
        + " WHERE key IN ('"
        + LakeNames.TABLE_RECOVERED_FROM_PROPERTY
        + "', '"
        + LakeNames.TABLE_RECOVERED_AT_PROPERTY
        + "')";
  }

  /**
   * One row from the snapshots alone (cheap): snapshots kept, the oldest and newest commit times
   * (epoch ms), the rows and data files of the newest snapshot (its summary's totals, as text), and
   * of the newest compaction (replace snapshot): its id, its commit time, and the data files it
   * removed and added.
   *
   * @param table the table
   * @return the statement
   */
  public static String snapshotSummary(String table) {
    return "SELECT count(*), CAST(to_unixtime(min(committed_at)) * 1000 AS bigint),"
        + " CAST(to_unixtime(max(committed_at)) * 1000 AS bigint),"
        + " max_by(element_at(summary, 'total-records'), committed_at),"
        + " max_by(element_at(summary, 'total-data-files'), committed_at),"
        + " max_by(snapshot_id, CASE WHEN operation = 'replace' THEN committed_at END),"
        + " CAST(to_unixtime(max(CASE WHEN operation = 'replace' THEN committed_at END)) * 1000"
        + " AS bigint),"
        + " max_by(element_at(summary, 'deleted-data-files'),"
        + " CASE WHEN operation = 'replace' THEN committed_at END),"
        + " max_by(element_at(summary, 'added-data-files'),"
        + " CASE WHEN operation = 'replace' THEN committed_at END)"
        + " FROM "
        + metadataTable(table, "snapshots");
  }

  /**
   * (partition as JSON text, data files, rows) rows, the partitions with the most data files first.
   * Fails on an unpartitioned table, which has no {@code partition} column.
   *
   * @param table the table
   * @param limit how many partitions
   * @return the statement
   */
  public static String filesPerPartition(String table, int limit) {
    return "SELECT json_format(CAST(\"partition\" AS json)), file_count, record_count FROM "
        + metadataTable(table, "partitions")
        + " ORDER BY file_count DESC LIMIT "
        + limit;
  }

  /**
   * One row: rows, live data files, their bytes, delete files, partitions holding rows, snapshots
   * kept, and the oldest and newest commit times.
   *
   * @param table the table
   * @return the statement
   */
  public static String totals(String table) {
    String files = metadataTable(table, "files");
    String snapshots = metadataTable(table, "snapshots");
    return "SELECT ("
        + rows(table)
        + "), ("
        + dataFiles(table)
        + "), (SELECT coalesce(sum(file_size_in_bytes), 0) FROM "
        + files
        + " WHERE content = 0), (SELECT count(*) FROM "
        + files
        + " WHERE content <> 0), (SELECT count(*) FROM "
        + metadataTable(table, "partitions")
        + " WHERE record_count > 0), (SELECT count(*) FROM "
        + snapshots
        + "), (SELECT min(committed_at) FROM "
        + snapshots
        + "), (SELECT max(committed_at) FROM "
        + snapshots
        + ")";
  }

  /**
   * (spec id, data files, rows) rows: the live data written with each partition spec.
   *
   * @param table the table
   * @return the statement
   */
  public static String filesPerSpec(String table) {
    return "SELECT spec_id, count(*), coalesce(sum(record_count), 0) FROM "
        + metadataTable(table, "files")
        + " WHERE content = 0 GROUP BY spec_id ORDER BY spec_id";
  }

  /**
   * No rows, only columns: the type of the {@code partition} column names the partition fields of
   * every spec the table has had (an unpartitioned table has no such column).
   *
   * @param table the table
   * @return the statement
   */
  public static String partitionColumns(String table) {
    return "SELECT * FROM " + metadataTable(table, "partitions") + " LIMIT 0";
  }

  /**
   * The newest commit, the newest compaction and the oldest snapshot kept, in one pass: rows of (is
   * newest, is oldest, is newest compaction, snapshot id, committed at, operation, added data
   * files, deleted data files, whether the oldest's parent was expired).
   *
   * @param table the table
   * @return the statement
   */
  public static String commitMarks(String table) {
    return "WITH s AS (SELECT snapshot_id, parent_id, committed_at, operation, summary FROM "
        + metadataTable(table, "snapshots")
        + "), r AS (SELECT s.*,"
        + " row_number() OVER (ORDER BY committed_at DESC, snapshot_id DESC) AS newest,"
        + " row_number() OVER (ORDER BY committed_at, snapshot_id) AS oldest,"
        + " row_number() OVER (PARTITION BY operation = 'replace'"
        + " ORDER BY committed_at DESC, snapshot_id DESC) AS newest_of_kind FROM s)"
        + " SELECT newest = 1, oldest = 1, operation = 'replace' AND newest_of_kind = 1,"
        + " snapshot_id, committed_at, operation,"
        + " element_at(summary, 'added-data-files'),"
        + " element_at(summary, 'deleted-data-files'),"
        + " parent_id IS NOT NULL AND parent_id NOT IN (SELECT snapshot_id FROM s)"
        + " FROM r WHERE newest = 1 OR oldest = 1"
        + " OR (operation = 'replace' AND newest_of_kind = 1)";
  }
}
