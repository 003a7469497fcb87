package dev.floe.job.sink;

import dev.floe.contract.LakeSchema;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/**
 * The Iceberg table lake.events: format v2, hidden partitioning on day(occurred_at) (the columns:
 * {@link LakeSchema}), Parquet with zstd.
 */
public final class LakeTable {
  private LakeTable() {}

  /** The table's columns at creation, shared with every test that needs the table's shape. */
  public static final Schema SCHEMA = LakeSchema.SCHEMA;

  public static final PartitionSpec SPEC = LakeSchema.SPEC;

  public static Map<String, String> properties(long targetFileSizeBytes) {
    return Map.of(
        "format-version", "2",
        "write.format.default", "parquet",
        "write.parquet.compression-codec", "zstd",
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
    for (String key : new String[] {"write.target-file-size-bytes", "commit.retry.num-retries"}) {
      if (!wanted.get(key).equals(current.get(key))) {
        update.set(key, wanted.get(key));
        changed = true;
      }
    }
    if (changed) {
      update.commit();
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
