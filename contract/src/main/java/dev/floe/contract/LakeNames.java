package dev.floe.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names every component of the lake agrees on, defined once: topics, the Iceberg catalog,
 * namespace and table, the table as Trino sees it, the job's name and consumer group, and the
 * Iceberg JDBC catalog connection. Constants, so that modules whose child processes do not carry
 * this class (the compiler copies constants) can use them too.
 */
public final class LakeNames {

  private LakeNames() {}

  /** Where the producers write every accepted event. */
  public static final String RAW_TOPIC = "events.raw";

  /** Where the job writes every valid, deduplicated event (transactional). */
  public static final String CLEAN_TOPIC = "events.clean";

  /** Where the job writes every record it cannot use, with the reason. */
  public static final String DLQ_TOPIC = "events.dlq";

  /**
   * The Iceberg catalog's name (Flink's catalog name, Trino's {@code
   * iceberg.jdbc-catalog.catalog-name}).
   */
  public static final String CATALOG = "floe";

  /** The Iceberg namespace of the lake. */
  public static final String NAMESPACE = "lake";

  /** The lake's table in {@link #NAMESPACE}. */
  public static final String TABLE = "events";

  /** Trino's catalog of the lake (read-only). */
  public static final String TRINO_CATALOG = "iceberg";

  /** The table as Trino names it: {@code iceberg.lake.events}. */
  public static final String TRINO_TABLE = TRINO_CATALOG + "." + NAMESPACE + "." + TABLE;

  /** The ingest job's name in Flink. */
  public static final String JOB_NAME = "floe-flink-job";

  /** The consumer group of the job's Kafka source (offsets committed on each checkpoint). */
  public static final String JOB_GROUP_ID = JOB_NAME;

  /**
   * Table property: when the job created the table (ISO-8601). A file under the table's location
   * older than this belongs to something the table does not know, so orphan-file cleanup leaves it.
   */
  public static final String TABLE_CREATED_AT_PROPERTY = "floe.created-at";

  /**
   * Table property: the metadata file the job registered the table from, when the catalog had lost
   * its pointer (or held an older one); shown by {@code ./floe status}.
   */
  public static final String TABLE_RECOVERED_FROM_PROPERTY = "floe.recovered-from";

  /** Table property: when that recovery happened (ISO-8601). */
  public static final String TABLE_RECOVERED_AT_PROPERTY = "floe.recovered-at";

  /**
   * The Iceberg JDBC catalog connection: what Iceberg's {@code CatalogUtil.buildIcebergCatalog} (or
   * {@code JdbcCatalog.initialize}) needs, the same in the job, the embedded stack and the catalog
   * database's set-up.
   *
   * @param uri JDBC URL of the catalog database
   * @param user the database user
   * @param password the database password
   * @param warehouse where table data goes (file:// or gs://)
   */
  public record CatalogConnection(String uri, String user, String password, String warehouse) {

    /** The catalog implementation. */
    public static final String CATALOG_IMPL = "org.apache.iceberg.jdbc.JdbcCatalog";

    /**
     * Version of the catalog tables: V1 adds view support, without which Trino refuses the catalog
     * ("initialized without view support").
     */
    public static final String SCHEMA_VERSION = "V1";

    /**
     * The catalog properties.
     *
     * @return catalog-impl, uri, jdbc.user, jdbc.password, jdbc.schema-version, warehouse (a new
     *     mutable map)
     */
    public Map<String, String> icebergProperties() {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("catalog-impl", CATALOG_IMPL);
      p.put("uri", uri);
      p.put("jdbc.user", user);
      p.put("jdbc.password", password);
      p.put("jdbc.schema-version", SCHEMA_VERSION);
      p.put("warehouse", warehouse);
      return p;
    }

    @Override
    public String toString() {
      return "CatalogConnection[uri=" + uri + ", user=" + user + ", warehouse=" + warehouse + "]";
    }
  }
}
