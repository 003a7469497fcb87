package dev.floe.job.config;

import dev.floe.contract.LakeNames;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * Every setting of the job: one key, one default, one description. Read only through {@link
 * JobSettings}. Each key can also be given as a program argument ({@code --floe.kafka.topic.raw x})
 * or an environment variable ({@code FLOE_KAFKA_TOPIC_RAW}).
 */
public final class JobOptions {

  private JobOptions() {}

  public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
      ConfigOptions.key("floe.kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka bootstrap servers (required), e.g. 127.0.0.1:9092.");

  public static final ConfigOption<String> KAFKA_TOPIC_RAW =
      ConfigOptions.key("floe.kafka.topic.raw")
          .stringType()
          .defaultValue(LakeNames.RAW_TOPIC)
          .withDescription("Topic the raw events are read from.");

  public static final ConfigOption<String> KAFKA_TOPIC_CLEAN =
      ConfigOptions.key("floe.kafka.topic.clean")
          .stringType()
          .defaultValue(LakeNames.CLEAN_TOPIC)
          .withDescription("Topic the valid, deduplicated, enriched events are written to.");

  public static final ConfigOption<String> KAFKA_TOPIC_DLQ =
      ConfigOptions.key("floe.kafka.topic.dlq")
          .stringType()
          .defaultValue(LakeNames.DLQ_TOPIC)
          .withDescription("Dead-letter topic for records that cannot be parsed or validated.");

  public static final ConfigOption<String> KAFKA_GROUP_ID =
      ConfigOptions.key("floe.kafka.group-id")
          .stringType()
          .defaultValue(LakeNames.JOB_GROUP_ID)
          .withDescription("Consumer group whose committed offsets the source starts from.");

  public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("floe.kafka.transactional-id-prefix")
          .stringType()
          .defaultValue(LakeNames.JOB_NAME)
          .withDescription(
              "Prefix of the Kafka transactional ids of the exactly-once sinks ('-clean' and '-dlq'"
                  + " are appended). Must be unique per job on the cluster.");

  public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT =
      ConfigOptions.key("floe.kafka.transaction-timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription(
              "transaction.timeout.ms of the exactly-once sinks; must not exceed the broker's"
                  + " transaction.max.timeout.ms (15 min by default) and must exceed the longest"
                  + " expected restart time.");

  public static final ConfigOption<String> CATALOG_NAME =
      ConfigOptions.key("floe.catalog.name")
          .stringType()
          .defaultValue(LakeNames.CATALOG)
          .withDescription("Iceberg JDBC catalog name; Trino's iceberg.jdbc-catalog.catalog-name.");

  public static final ConfigOption<String> CATALOG_URI =
      ConfigOptions.key("floe.catalog.uri")
          .stringType()
          .noDefaultValue()
          .withDescription("JDBC URL of the Iceberg catalog database (required).");

  public static final ConfigOption<String> CATALOG_USER =
      ConfigOptions.key("floe.catalog.user")
          .stringType()
          .defaultValue("floe")
          .withDescription("User of the catalog database.");

  public static final ConfigOption<String> CATALOG_PASSWORD =
      ConfigOptions.key("floe.catalog.password")
          .stringType()
          .defaultValue("")
          .withDescription("Password of the catalog database.");

  public static final ConfigOption<String> WAREHOUSE =
      ConfigOptions.key("floe.catalog.warehouse")
          .stringType()
          .noDefaultValue()
          .withDescription("Warehouse URI (required): file:///... or gs://bucket/path.");

  public static final ConfigOption<String> TABLE =
      ConfigOptions.key("floe.iceberg.table")
          .stringType()
          .defaultValue(LakeNames.NAMESPACE + "." + LakeNames.TABLE)
          .withDescription("Iceberg table <namespace>.<name>; created when missing.");

  public static final ConfigOption<MemorySize> TARGET_FILE_SIZE =
      ConfigOptions.key("floe.iceberg.target-file-size")
          .memoryType()
          .defaultValue(MemorySize.parse("128mb"))
          .withDescription(
              "write.target-file-size-bytes of the table (set at every start): the size the"
                  + " writers roll files at and maintenance rewrites small files towards.");

  public static final ConfigOption<Duration> DEDUP_TTL =
      ConfigOptions.key("floe.dedup.ttl")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription(
              "How long an eventId is remembered for deduplication (processing time since first"
                  + " seen).");

  public static final ConfigOption<MemorySize> DEDUP_FILTER_MEMORY =
      ConfigOptions.key("floe.dedup.filter-memory")
          .memoryType()
          .defaultValue(MemorySize.parse("32mb"))
          .withDescription(
              "Heap per dedup subtask for the Bloom filters of the ids seen within the TTL: an id"
                  + " they have certainly not seen is not looked up in the state (about 10 bits"
                  + " per id; 0 looks up every id).");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("floe.checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription(
              "Exactly-once checkpoint interval; Iceberg and Kafka commits happen on each"
                  + " checkpoint, so this is the freshness knob.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL_DURING_BACKLOG =
      ConfigOptions.key("floe.checkpoint.interval-during-backlog")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Checkpoint (and commit) interval while the source drains a backlog (records older"
                  + " than floe.checkpoint.backlog-threshold): fewer, larger commits and files while"
                  + " catching up; back to floe.checkpoint.interval once caught up. Set it equal to"
                  + " floe.checkpoint.interval to commit at one rate always.");

  public static final ConfigOption<Duration> CHECKPOINT_BACKLOG_THRESHOLD =
      ConfigOptions.key("floe.checkpoint.backlog-threshold")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "A reader that emits a record older than this (now minus its Kafka timestamp) is"
                  + " draining a backlog; it is caught up again below half of it, or when nothing"
                  + " is left to read for 300 ms. Above the lag of a busy machine (a few seconds), so that a"
                  + " job merely behind keeps committing every floe.checkpoint.interval.");

  public static final ConfigOption<String> CHECKPOINT_DIR =
      ConfigOptions.key("floe.checkpoint.dir")
          .stringType()
          .noDefaultValue()
          .withDescription("Checkpoint directory URI (required): file:///... or gs://bucket/path.");

  public static final ConfigOption<Boolean> CHECKPOINT_AUTO_RESUME =
      ConfigOptions.key("floe.checkpoint.auto-resume")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Without execution.state-recovery.path, resume from the newest complete retained"
                  + " checkpoint found in floe.checkpoint.dir.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("floe.parallelism")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Job parallelism; default: the number of partitions of the raw topic (2 when it"
                  + " cannot be determined).");

  public static final ConfigOption<String> GCS_PROJECT_ID =
      ConfigOptions.key("floe.gcs.project-id")
          .stringType()
          .noDefaultValue()
          .withDescription("Google Cloud project of gs:// storage.");

  public static final ConfigOption<String> GCS_CREDENTIALS_FILE =
      ConfigOptions.key("floe.gcs.credentials-file")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Service-account JSON key file for gs:// storage; without it the connector uses the"
                  + " application default credentials (or none with an emulator endpoint).");

  public static final ConfigOption<String> GCS_ENDPOINT =
      ConfigOptions.key("floe.gcs.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "GCS endpoint override, e.g. a fake-gcs-server emulator http://127.0.0.1:4443"
                  + " (fs.gs.storage.root.url).");

  public static final ConfigOption<Boolean> MAINTENANCE_ENABLED =
      ConfigOptions.key("floe.maintenance.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Run Iceberg's table maintenance (rewrite small files, expire snapshots, delete"
                  + " orphan files) inside the job, next to the streaming commits.");

  public static final ConfigOption<Duration> MAINTENANCE_RATE_LIMIT =
      ConfigOptions.key("floe.maintenance.rate-limit")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "How often maintenance polls the table for new commits, and the minimum time"
                  + " between two maintenance runs; at least 1 s.");

  public static final ConfigOption<Integer> MAINTENANCE_REWRITE_COMMITS =
      ConfigOptions.key("floe.maintenance.rewrite.commit-count")
          .intType()
          .defaultValue(30)
          .withDescription("Rewrite small data files after this many new commits.");

  public static final ConfigOption<Duration> MAINTENANCE_REWRITE_INTERVAL =
      ConfigOptions.key("floe.maintenance.rewrite.interval")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription("Rewrite small data files at least this often.");

  public static final ConfigOption<Integer> MAINTENANCE_REWRITE_MIN_INPUT_FILES =
      ConfigOptions.key("floe.maintenance.rewrite.min-input-files")
          .intType()
          .defaultValue(5)
          .withDescription(
              "A partition's small files are rewritten once there are at least this many (at"
                  + " least 2). Files are rewritten towards floe.iceberg.target-file-size.");

  public static final ConfigOption<MemorySize> MAINTENANCE_REWRITE_MIN_FILE_SIZE =
      ConfigOptions.key("floe.maintenance.rewrite.min-file-size")
          .memoryType()
          .defaultValue(MemorySize.parse("16mb"))
          .withDescription(
              "Only data files smaller than this are rewritten. A compacted file that reached it is"
                  + " left alone, so a rewrite handles what arrived since the last one, not the"
                  + " whole partition again: its cost stays flat as the table grows.");

  public static final ConfigOption<Duration> MAINTENANCE_SNAPSHOT_RETENTION =
      ConfigOptions.key("floe.maintenance.snapshot-retention")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription(
              "Snapshots older than this are expired (time travel reaches back this far). Every"
                  + " commit rewrites the table's metadata file, which lists every snapshot kept: at"
                  + " a commit a second, 1 h of snapshots made each commit write 4 MB.");

  public static final ConfigOption<Integer> MAINTENANCE_SNAPSHOT_MIN_COUNT =
      ConfigOptions.key("floe.maintenance.snapshot-min-count")
          .intType()
          .defaultValue(10)
          .withDescription("Snapshots always kept, however old (at least 1).");

  public static final ConfigOption<Integer> MAINTENANCE_EXPIRE_COMMITS =
      ConfigOptions.key("floe.maintenance.expire.commit-count")
          .intType()
          .defaultValue(30)
          .withDescription("Expire snapshots after this many new commits (and every 10 min).");

  public static final ConfigOption<Duration> MAINTENANCE_ORPHAN_MIN_AGE =
      ConfigOptions.key("floe.maintenance.orphan-files.min-age")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "Files under the table location that no snapshot references are deleted once older"
                  + " than this; must be far longer than a checkpoint (files being written look"
                  + " like orphans).");

  public static final ConfigOption<Duration> MAINTENANCE_ORPHAN_INTERVAL =
      ConfigOptions.key("floe.maintenance.orphan-files.interval")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription("How often orphan files are looked for.");

  public static final ConfigOption<Long> MAINTENANCE_START_LAG =
      ConfigOptions.key("floe.maintenance.start-lag")
          .longType()
          .defaultValue(100_000L)
          .withDescription(
              "Maintenance starts once the ingest job's consumer lag on the raw topic (its"
                  + " committed offsets) is at most this many records on two reads in a row, 5 s"
                  + " apart: a backlog is drained"
                  + " without maintenance competing for the machine, and files written during a"
                  + " backlog are large anyway.");

  public static final ConfigOption<Duration> MAINTENANCE_START_DELAY =
      ConfigOptions.key("floe.maintenance.start-delay")
          .durationType()
          .defaultValue(Duration.ofMinutes(2))
          .withDescription(
              "Maintenance starts no sooner than this after the ingest job, caught up or not: a"
                  + " job's first minutes are its warm-up (its per-record code is compiled while"
                  + " it may be catching up), and maintenance's own start and first rewrite, whose"
                  + " code is cold too, took the CPU the ingest job needed for its 1 s commits.");

  public static final ConfigOption<Duration> MAINTENANCE_START_TIMEOUT =
      ConfigOptions.key("floe.maintenance.start-timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription(
              "Maintenance starts at the latest this long after the ingest job, caught up or"
                  + " not (a job that never catches up still gets its snapshots expired).");

  public static final ConfigOption<Duration> TABLE_REFRESH_INTERVAL =
      ConfigOptions.key("floe.iceberg.table-refresh-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "How often the job reloads the table's schema and partition spec, to follow changes"
                  + " made outside the job (e.g. ALTER TABLE ... SET PROPERTIES partitioning).");

  /** All options, for the environment lookup and the documentation test. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_TOPIC_RAW,
          KAFKA_TOPIC_CLEAN,
          KAFKA_TOPIC_DLQ,
          KAFKA_GROUP_ID,
          KAFKA_TRANSACTIONAL_ID_PREFIX,
          KAFKA_TRANSACTION_TIMEOUT,
          CATALOG_NAME,
          CATALOG_URI,
          CATALOG_USER,
          CATALOG_PASSWORD,
          WAREHOUSE,
          TABLE,
          TARGET_FILE_SIZE,
          DEDUP_TTL,
          DEDUP_FILTER_MEMORY,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_INTERVAL_DURING_BACKLOG,
          CHECKPOINT_BACKLOG_THRESHOLD,
          CHECKPOINT_DIR,
          CHECKPOINT_AUTO_RESUME,
          PARALLELISM,
          GCS_PROJECT_ID,
          GCS_CREDENTIALS_FILE,
          GCS_ENDPOINT,
          MAINTENANCE_ENABLED,
          MAINTENANCE_RATE_LIMIT,
          MAINTENANCE_REWRITE_COMMITS,
          MAINTENANCE_REWRITE_INTERVAL,
          MAINTENANCE_REWRITE_MIN_INPUT_FILES,
          MAINTENANCE_REWRITE_MIN_FILE_SIZE,
          MAINTENANCE_SNAPSHOT_RETENTION,
          MAINTENANCE_SNAPSHOT_MIN_COUNT,
          MAINTENANCE_EXPIRE_COMMITS,
          MAINTENANCE_ORPHAN_MIN_AGE,
          MAINTENANCE_ORPHAN_INTERVAL,
          MAINTENANCE_START_LAG,
          MAINTENANCE_START_DELAY,
          MAINTENANCE_START_TIMEOUT,
          TABLE_REFRESH_INTERVAL);

  /**
   * FLOE_ + key upper-cased, dots and dashes to underscores: floe.kafka.group-id ->
   * FLOE_KAFKA_GROUP_ID.
   */
  public static String environmentVariable(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
