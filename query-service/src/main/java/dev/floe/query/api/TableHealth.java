package dev.floe.query.api;

import dev.floe.query.config.QuerySettings;
import dev.floe.query.trino.TrinoGateway;
import dev.floe.view.TableFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The health of the events table from Trino's Iceberg metadata tables ({@code $files}, {@code
 * $snapshots}, {@code $partitions}) through the lake view's {@link TableFacts} SQL, read as the
 * service's read-only user.
 *
 * <p>The current partition spec itself is not visible to that user (Trino shows the {@code
 * partitioning} property only through {@code SHOW CREATE TABLE}, which needs ownership), so the
 * answer gives what the metadata tables do show: the partition fields of every spec the table has
 * had, and the live data files per spec id (a partition evolution adds a spec with a higher id).
 */
@ApplicationScoped
public class TableHealth {

  /** Everything {@code GET /tables/events} answers. */
  public record Health(
      String table,
      long rows,
      long dataFiles,
      long deleteFiles,
      long totalDataFileBytes,
      Long averageDataFileBytes,
      Snapshots snapshots,
      Partitions partitions,
      Commit lastCommit,
      Maintenance lastMaintenance,
      List<String> queryIds,
      long elapsedMs) {}

  /** How many snapshots the table keeps and the commit times of the oldest and the newest. */
  public record Snapshots(long count, String oldestCommittedAt, String newestCommittedAt) {}

  /**
   * {@code count}: partitions holding live data; {@code fields}: the partition fields of all specs
   * the table has had (Trino's names, e.g. {@code occurred_at_day}); {@code specs}: live data per
   * spec id.
   */
  public record Partitions(long count, List<String> fields, List<Spec> specs) {}

  /** Live data files written with one partition spec. */
  public record Spec(int specId, long dataFiles, long rows) {}

  /** One snapshot: the newest commit, or the newest compaction. */
  public record Commit(
      long snapshotId,
      String committedAt,
      String operation,
      Long addedDataFiles,
      Long removedDataFiles) {}

  /**
   * {@code compaction}: the newest {@code replace} snapshot (a rewrite of data files), null when
   * none is kept; {@code oldestRetainedSnapshotAt}: the commit time of the oldest snapshot kept;
   * {@code snapshotsExpired}: whether older snapshots were expired (the oldest kept snapshot has a
   * parent that is gone).
   */
  public record Maintenance(
      Commit compaction, String oldestRetainedSnapshotAt, boolean snapshotsExpired) {}

  private static final Pattern ROW_FIELD = Pattern.compile("(?:row\\(|,)\\s*\"?([A-Za-z0-9_]+)\"?");

  private final TrinoGateway trino;
  private final QuerySettings config;

  public TableHealth(TrinoGateway trino, QuerySettings config) {
    this.trino = trino;
    this.config = config;
  }

  public Health read() {
    String table = config.eventsTable();
    long started = System.nanoTime();
    List<String> queryIds = new ArrayList<>();

    TrinoGateway.Result totals = trino.run(TableFacts.totals(table), List.of(), 1);
    queryIds.add(totals.queryId());
    List<Object> t = totals.rows().get(0);
    long dataFiles = longOf(t.get(1));
    long dataBytes = longOf(t.get(2));

    TrinoGateway.Result specRows =
        trino.run(TableFacts.filesPerSpec(table), List.of(), config.maxRowLimit());
    queryIds.add(specRows.queryId());
    List<Spec> specs = new ArrayList<>();
    for (List<Object> row : specRows.rows()) {
      specs.add(new Spec((int) longOf(row.get(0)), longOf(row.get(1)), longOf(row.get(2))));
    }

    // Only the column types are wanted: an unpartitioned table has no "partition" column.
    TrinoGateway.Result partitionColumns =
        trino.run(TableFacts.partitionColumns(table), List.of(), 1);
    queryIds.add(partitionColumns.queryId());
    List<String> fields = new ArrayList<>();
    for (TrinoGateway.Column c : partitionColumns.columns()) {
      if ("partition".equals(c.name())) {
        fields.addAll(rowFieldNames(c.type()));
      }
    }

    // The newest commit, the newest compaction and the oldest snapshot kept, in one pass.
    TrinoGateway.Result marks = trino.run(TableFacts.commitMarks(table), List.of(), 3);
    queryIds.add(marks.queryId());
    Commit last = null;
    Commit compaction = null;
    String oldestAt = null;
    boolean expired = false;
    for (List<Object> row : marks.rows()) {
      Commit commit =
          new Commit(
              longOf(row.get(3)),
              (String) row.get(4),
              (String) row.get(5),
              number(row.get(6)),
              number(row.get(7)));
      if (Boolean.TRUE.equals(row.get(0))) {
        last = commit;
      }
      if (Boolean.TRUE.equals(row.get(1))) {
        oldestAt = commit.committedAt();
        expired = Boolean.TRUE.equals(row.get(8));
      }
      if (Boolean.TRUE.equals(row.get(2))) {
        compaction = commit;
      }
    }

    return new Health(
        table,
        longOf(t.get(0)),
        dataFiles,
        longOf(t.get(3)),
        dataBytes,
        dataFiles == 0 ? null : Math.round((double) dataBytes / dataFiles),
        new Snapshots(longOf(t.get(5)), (String) t.get(6), (String) t.get(7)),
        new Partitions(longOf(t.get(4)), List.copyOf(fields), List.copyOf(specs)),
        last,
        new Maintenance(compaction, oldestAt, expired),
        List.copyOf(queryIds),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** {@code row(occurred_at_day date, occurred_at_hour integer)} to its field names. */
  static List<String> rowFieldNames(String rowType) {
    List<String> names = new ArrayList<>();
    int depth = 0;
    StringBuilder top = new StringBuilder();
    // Nested rows would add their own field names; keep the top level only.
    for (char ch : rowType.toCharArray()) {
      if (ch == '(') {
        depth++;
        if (depth > 1) {
          continue;
        }
      } else if (ch == ')') {
        depth--;
        if (depth > 0) {
          continue;
        }
      } else if (depth > 1) {
        continue;
      }
      top.append(ch);
    }
    Matcher m = ROW_FIELD.matcher(top);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static long longOf(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static Long number(Object text) {
    return text == null ? null : Long.valueOf(text.toString());
  }
}
