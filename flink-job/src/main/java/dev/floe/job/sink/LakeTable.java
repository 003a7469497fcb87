package dev.floe.job.sink;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg table lake.events: format v2, hidden partitioning on day(occurred_at), Parquet with
 * zstd and small column dictionaries. Properties are a {@code map<string,string>} (Trino: {@code
 * properties['plan']}); the contract allows only flat objects, so no information is lost but the
 * JSON type of a value (a number is stored as its text).
 */
public final class LakeTable {
  private LakeTable() {}

  public static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "event_id", Types.StringType.get()),
          Types.NestedField.required(2, "type", Types.StringType.get()),
          Types.NestedField.optional(3, "user_id", Types.StringType.get()),
          Types.NestedField.required(4, "occurred_at", Types.TimestampType.withZone()),
          Types.NestedField.optional(
              5,
              "properties",
              Types.MapType.ofOptional(11, 12, Types.StringType.get(), Types.StringType.get())),
          Types.NestedField.optional(6, "source", Types.StringType.get()),
          Types.NestedField.optional(7, "produced_at", Types.TimestampType.withZone()),
          Types.NestedField.required(8, "ingested_at", Types.TimestampType.withZone()),
          Types.NestedField.required(9, "kafka_partition", Types.IntegerType.get()),
          Types.NestedField.required(10, "kafka_offset", Types.LongType.get()));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("occurred_at").build();

  /** The dictionary limit of a column chunk, see {@link #properties}. */
  static final int DICTIONARY_BYTES = 32 * 1024;

  public static Map<String, String> properties(long targetFileSizeBytes) {
    return Map.of(
        "format-version", "2",
        "write.format.default", "parquet",
        "write.parquet.compression-codec", "zstd",
        // a column gives up its dictionary once it outgrows 32 KB (Parquet's default is 2 MB):
        // event_id, the timestamps and kafka_offset are (nearly) unique, so a large dictionary
        // only hashes every value of a file and then falls back to plain encoding anyway; type,
        // source and property keys keep theirs. Writing 400 k rows of this shape took 0.6-0.7x
        // the CPU and the files came out no larger (docs/performance.md)
        "write.parquet.dict-size-bytes", String.valueOf(DICTIONARY_BYTES),
        "write.target-file-size-bytes", String.valueOf(targetFileSizeBytes),
        // a commit per checkpoint (seconds) would otherwise keep every metadata.json forever
        "write.metadata.delete-after-commit.enabled", "true",
        "write.metadata.previous-versions-max", "100",
        // maintenance rewrites race the commits every few seconds: retry longer than the default 4
        "commit.retry.num-retries", "10");
  }

  /**
   * Sets the write properties the job owns on an existing table (the target file size may change
   * between runs); a no-op when they already match.
   */
  public static void applyWriteProperties(Table table, long targetFileSizeBytes) {
    Map<String, String> wanted = properties(targetFileSizeBytes);
    Map<String, String> current = table.properties();
    var update = table.updateProperties();
    boolean changed = false;
    for (String key :
        new String[] {
          "write.target-file-size-bytes",
          "commit.retry.num-retries",
          "write.parquet.dict-size-bytes"
        }) {
      if (!wanted.get(key).equals(current.get(key))) {
        update.set(key, wanted.get(key));
        changed = true;
      }
    }
    if (changed) {
      update.commit();
    }
  }

  /**
   * Creates the table's main branch (an empty snapshot) when it has none yet, before the job
   * starts. Otherwise each writer of the Dynamic Sink creates it at its first row, and the loser of
   * that race fails its task (Iceberg 1.11 rethrows "Ref main already exists"), which restarts the
   * whole job at its first start. Tolerates a concurrent creator.
   */
  public static void ensureMainBranch(Table table) {
    if (table.refs().containsKey(SnapshotRef.MAIN_BRANCH)) {
      return;
    }
    try {
      table.manageSnapshots().createBranch(SnapshotRef.MAIN_BRANCH).commit();
    } catch (CommitFailedException | IllegalArgumentException e) {
      table.refresh();
      if (!table.refs().containsKey(SnapshotRef.MAIN_BRANCH)) {
        throw e;
      }
    }
  }

  /** Creates the namespace and the table when missing; tolerates a concurrent creator. */
  public static Table ensureExists(Catalog catalog, TableIdentifier id, long targetFileSizeBytes) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(id.namespace())) {
      try {
        namespaces.createNamespace(Namespace.of(id.namespace().levels()));
      } catch (AlreadyExistsException e) {
        // created by someone else meanwhile: fine
      }
    }
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    try {
      return catalog.createTable(id, SCHEMA, SPEC, properties(targetFileSizeBytes));
    } catch (AlreadyExistsException e) {
      return catalog.loadTable(id);
    }
  }
}
