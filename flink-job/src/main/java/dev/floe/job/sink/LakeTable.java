package dev.floe.job.sink;

import dev.floe.contract.LakeNames;
import dev.floe.contract.LakeSchema;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg table lake.events: format v2, hidden partitioning on day(occurred_at) (the columns:
 * {@link LakeSchema}), Parquet with zstd and small column dictionaries.
 */
public final class LakeTable {
  private static final Logger LOG = LoggerFactory.getLogger(LakeTable.class);

  private LakeTable() {}

  /** The table's columns at creation, shared with every test that needs the table's shape. */
  public static final Schema SCHEMA = LakeSchema.SCHEMA;

  public static final PartitionSpec SPEC = LakeSchema.SPEC;

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

  /**
   * Where the JDBC catalog puts a table of a namespace without a location of its own: {@code
   * <warehouse>/<namespace>/<table>}. The job looks there for metadata before it creates a table.
   *
   * @param warehouse the catalog's warehouse
   * @param id the table
   * @return the location
   */
  public static String defaultLocation(String warehouse, TableIdentifier id) {
    return WarehouseMetadata.stripSlash(warehouse)
        + "/"
        + String.join("/", id.namespace().levels())
        + "/"
        + id.name();
  }

  /**
   * The table as the warehouse holds it, with the catalog pointing at its newest committed
   * metadata. The warehouse is the truth and the catalog a pointer:
   *
   * <ul>
   *   <li>the catalog knows the table and points at the newest committed metadata file: loaded;
   *   <li>the catalog does not know the table but its location holds metadata files (the catalog
   *       database was lost or replaced): the newest committed one ({@link WarehouseMetadata}) is
   *       registered; a new table is never created over an old one;
   *   <li>the catalog points at an older metadata file than the newest committed one in the
   *       warehouse (a catalog restored from an older backup): the pointer is moved to the newest;
   *   <li>nothing anywhere: the table is created, stamped with its creation time ({@link
   *       LakeNames#TABLE_CREATED_AT_PROPERTY}).
   * </ul>
   *
   * A recovery is logged at WARN with the file and recorded in the table's properties ({@link
   * LakeNames#TABLE_RECOVERED_FROM_PROPERTY}, {@link LakeNames#TABLE_RECOVERED_AT_PROPERTY}), which
   * {@code ./floe status} shows. Tolerates a concurrent creator.
   *
   * @param catalog the catalog
   * @param id the table
   * @param targetFileSizeBytes the write target file size of a new table
   * @param warehouse a file IO that lists the warehouse
   * @param location where the table lives (or would): {@link #defaultLocation}
   * @return the table
   */
  public static Table ensureExists(
      Catalog catalog,
      TableIdentifier id,
      long targetFileSizeBytes,
      SupportsPrefixOperations warehouse,
      String location) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(id.namespace())) {
      try {
        namespaces.createNamespace(Namespace.of(id.namespace().levels()));
      } catch (AlreadyExistsException e) {
        // created by someone else meanwhile: fine
      }
    }
    Optional<Table> known =
        catalog.tableExists(id) ? Optional.of(catalog.loadTable(id)) : Optional.empty();
    String where = known.map(Table::location).orElse(location);
    Optional<TableMetadata> newest =
        WarehouseMetadata.newestCommitted(
            warehouse, where, problem -> LOG.warn("{}: {}", id, problem));
    if (known.isPresent()) {
      Table table = known.get();
      String current = currentMetadataFile(table);
      int currentVersion = WarehouseMetadata.version(current).orElse(-1);
      if (newest.isEmpty()
          || WarehouseMetadata.version(newest.get().metadataFileLocation()).orElse(-1)
              <= currentVersion) {
        return table;
      }
      String because =
          "the catalog points at "
              + current
              + " but the warehouse holds newer committed metadata (a catalog restored from an"
              + " older backup?)";
      // only the pointer goes: JDBC and REST catalogs keep the files when purge is false
      catalog.dropTable(id, false);
      return register(catalog, id, newest.get(), because);
    }
    if (newest.isPresent()) {
      return register(
          catalog,
          id,
          newest.get(),
          "the catalog has no table " + id + " but its location " + where + " holds one");
    }
    Map<String, String> props = new HashMap<>(properties(targetFileSizeBytes));
    props.put(
        LakeNames.TABLE_CREATED_AT_PROPERTY,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    try {
      // at the location just searched, whatever the catalog's own default
      return catalog
          .buildTable(id, SCHEMA)
          .withPartitionSpec(SPEC)
          .withLocation(location)
          .withProperties(props)
          .create();
    } catch (AlreadyExistsException e) {
      return catalog.loadTable(id);
    }
  }

  private static Table register(
      Catalog catalog, TableIdentifier id, TableMetadata metadata, String because) {
    String file = metadata.metadataFileLocation();
    Table table;
    try {
      table = catalog.registerTable(id, file);
    } catch (AlreadyExistsException e) {
      // another starting job registered it meanwhile
      return catalog.loadTable(id);
    }
    table
        .updateProperties()
        .set(LakeNames.TABLE_RECOVERED_FROM_PROPERTY, file)
        .set(
            LakeNames.TABLE_RECOVERED_AT_PROPERTY,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .commit();
    LOG.warn(
        "CATALOG RECOVERY: {}; registered {} from the warehouse ({} snapshots, current {}) instead"
            + " of creating a new table. Orphan-file cleanup stays off for the orphan minimum age.",
        because,
        file,
        metadata.snapshots().size(),
        metadata.currentSnapshot() == null ? "none" : metadata.currentSnapshot().snapshotId());
    return table;
  }

  /**
   * The metadata file the catalog points at.
   *
   * @param table a table loaded from a catalog
   * @return its location
   */
  public static String currentMetadataFile(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }
}
