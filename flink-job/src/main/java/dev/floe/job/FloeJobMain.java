package dev.floe.job;

import dev.floe.contract.LakeNames;
import dev.floe.job.config.InvalidSettingException;
import dev.floe.job.config.JobSettings;
import dev.floe.job.ingest.BacklogAwareSource;
import dev.floe.job.ingest.GroupOffsets;
import dev.floe.job.ingest.RawRecordDeserializer;
import dev.floe.job.ingest.RetentionGaps;
import dev.floe.job.model.RawRecord;
import dev.floe.job.pipeline.EvolveTableSchema;
import dev.floe.job.sink.IcebergLakeSink;
import dev.floe.job.sink.KafkaSinks;
import dev.floe.job.sink.LakeMaintenance;
import dev.floe.job.sink.LakeTable;
import dev.floe.job.sink.OrphanGuard;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: reads {@link JobSettings}, wires the production source and sinks into {@link
 * FloeJob} and runs it. Run from the job jar on a cluster, or with {@code java -cp
 * target/classes:$(cat target/classpath.txt) dev.floe.job.FloeJobMain} on a local MiniCluster.
 */
public final class FloeJobMain {
  private static final Logger LOG = LoggerFactory.getLogger(FloeJobMain.class);
  static final String JOB_NAME = LakeNames.JOB_NAME;
  static final int FALLBACK_PARALLELISM = 2;

  /**
   * State defaults (a Flink setting given to the job wins). The dedup ids live in RocksDB, off the
   * heap. Checkpoints go through the changelog state backend: a checkpoint uploads only the state
   * changes since the last one (about 40 bytes per new id), and RocksDB's own files are uploaded
   * incrementally in the background every few minutes (materialization). Without the changelog,
   * every 1 s checkpoint flushed RocksDB's memtable into a new file, and with random ids each
   * compaction of those files rewrote the whole first level: checkpoint uploads of half the state
   * every other second, and compaction work growing with the ids held. Nearly every lookup is of a
   * new id, which the bloom filters answer without reading a block.
   */
  static final Map<String, String> STATE_DEFAULTS =
      Map.of(
          "state.backend.type", "rocksdb",
          "execution.checkpointing.incremental", "true",
          "state.backend.rocksdb.use-bloom-filter", "true",
          "state.changelog.enabled", "true",
          "state.changelog.storage", "filesystem",
          // nearly every lookup is of a new id, answered by the bloom filters: with whole-file
          // filters every lookup needed each file's full filter block (megabytes) in the block
          // cache, and once they outgrew its high-priority pool (10 % of a slot's cache) each
          // lookup read and parsed them again, a cost growing with the ids held. Partitioned
          // filters load only the 4 KB partition a key needs.
          "state.backend.rocksdb.memory.partitioned-index-filters", "true",
          "state.backend.rocksdb.memory.high-prio-pool-ratio", "0.25");

  /** Where the changelog's files go when not configured: beside the checkpoints. */
  static final String CHANGELOG_PATH = "state.changelog.dstl.dfs.base-path";

  private FloeJobMain() {}

  public static void main(String[] args) throws Exception {
    JobSettings settings;
    try {
      settings = JobSettings.load(args, System.getenv(), flinkConfigurationFromEnvironment());
    } catch (InvalidSettingException e) {
      LOG.error("{}", e.getMessage());
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    JobClient client = start(settings);
    client.getJobExecutionResult().get();
  }

  /** config.yaml of FLINK_CONF_DIR when set (a cluster sets it), else empty. */
  static Configuration flinkConfigurationFromEnvironment() {
    String dir = System.getenv("FLINK_CONF_DIR");
    return dir == null ? new Configuration() : GlobalConfiguration.loadConfiguration(dir);
  }

  /**
   * Creates the table when missing (or recovers it from the warehouse: {@link
   * LakeTable#ensureExists}), decides whether orphan cleanup may run ({@link OrphanGuard}), builds
   * the job and submits it; returns at once.
   */
  public static JobClient start(JobSettings settings) throws Exception {
    Configuration conf = environmentConfiguration(settings);
    int parallelism = settings.parallelism().orElseGet(() -> rawTopicPartitions(settings));
    TableIdentifier table = TableIdentifier.of(settings.namespace(), settings.tableName());
    Catalog catalog = catalog(settings);
    boolean orphanCleanup;
    try (HadoopFileIO warehouse = new HadoopFileIO(settings.storage().hadoopConfiguration())) {
      Table lakeTable =
          LakeTable.ensureExists(
              catalog,
              table,
              settings.targetFileSize().getBytes(),
              warehouse,
              LakeTable.defaultLocation(settings.warehouse(), table));
      LakeTable.applyWriteProperties(lakeTable, settings.targetFileSize().getBytes());
      LakeTable.ensureMainBranch(lakeTable);
      orphanCleanup =
          settings.maintenance().enabled()
              && OrphanGuard.allows(
                  catalog.loadTable(table), warehouse, settings.maintenance().orphanMinAge());
    } finally {
      if (catalog instanceof java.io.Closeable closeable) {
        closeable.close();
      }
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    IcebergLakeSink lake =
        new IcebergLakeSink(
            settings.catalogName(),
            settings.catalogProperties(),
            settings.storage().hadoopProperties(),
            table,
            settings.tableRefreshInterval());
    new FloeJob(
            source(settings, resetStrategy(settings)),
            KafkaSinks.clean(settings),
            KafkaSinks.deadLetters(settings),
            lake,
            new EvolveTableSchema(
                lake.catalogLoader(), table, settings.rawTopic(), settings.tableRefreshInterval()),
            settings.dedupTtl(),
            settings.dedupFilterMemory().getBytes())
        .build(env, parallelism);
    LOG.info("Starting {} at parallelism {}", JOB_NAME, parallelism);
    JobClient ingest = env.executeAsync(JOB_NAME);
    if (settings.maintenance().enabled()) {
      startMaintenanceWhenCaughtUp(
          ingest,
          conf,
          TableLoader.fromCatalog(lake.catalogLoader(), table),
          settings,
          orphanCleanup);
    }
    return ingest;
  }

  /** How often the ingest job's lag is read until maintenance starts. */
  static final long MAINTENANCE_START_POLL_SECONDS = 5;

  /**
   * Starts the maintenance job once the ingest job has caught up (its committed lag on the raw
   * topic at most {@code floe.maintenance.start-lag} records on two polls in a row), or {@code
   * floe.maintenance.start-timeout} after the ingest job at the latest, and never before {@code
   * floe.maintenance.start-delay} (the ingest job's warm-up). A backlog drain (a first start over a
   * full topic, a restart after an outage) then has the machine to itself: the maintenance job's
   * start-up and its polling would compete with it, and the files written during a backlog (10 s
   * commits) are large. The maintenance job lives as long as the ingest job; a failed start is
   * retried at the next poll.
   */
  static void startMaintenanceWhenCaughtUp(
      JobClient ingest,
      Configuration conf,
      TableLoader table,
      JobSettings settings,
      boolean orphanCleanup) {
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "floe-maintenance-start");
              t.setDaemon(true);
              return t;
            });
    long deadline = System.nanoTime() + settings.maintenance().startTimeout().toNanos();
    // one client for every poll, closed once the poller stops
    Admin admin = GroupOffsets.admin(settings.bootstrapServers());
    Object lock = new Object();
    AtomicReference<JobClient> maintenance = new AtomicReference<>();
    AtomicBoolean ingestEnded = new AtomicBoolean();
    // caught up on two polls in a row: the first low reading can come with the checkpoint that
    // ends a drain, whose commits are still going on
    AtomicInteger caughtUpPolls = new AtomicInteger();
    ingest
        .getJobExecutionResult()
        .whenComplete(
            (result, error) -> {
              synchronized (lock) {
                ingestEnded.set(true);
                poller.shutdownNow();
                admin.close(java.time.Duration.ZERO);
                JobClient started = maintenance.get();
                if (started != null) {
                  started.cancel();
                }
              }
            });
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            String why;
            if (System.nanoTime() >= deadline) {
              why = "floe.maintenance.start-timeout reached";
            } else {
              long lag = GroupOffsets.read(admin, settings.rawTopic(), settings.groupId()).lag();
              if (lag > settings.maintenance().startLag()) {
                caughtUpPolls.set(0);
                LOG.debug("{} waits: ingest lag {} records", MAINTENANCE_JOB_NAME, lag);
                return;
              }
              if (caughtUpPolls.incrementAndGet() < 2) {
                return;
              }
              why = "the ingest job has caught up (lag " + lag + " records)";
            }
            synchronized (lock) {
              if (ingestEnded.get() || maintenance.get() != null) {
                return;
              }
              LOG.info("Starting {}: {}", MAINTENANCE_JOB_NAME, why);
              maintenance.set(startMaintenance(conf, table, settings, orphanCleanup));
              poller.shutdown();
              admin.close(java.time.Duration.ZERO);
            }
          } catch (Exception e) {
            LOG.warn("{} not started yet: {}", MAINTENANCE_JOB_NAME, e.toString());
          }
        },
        Math.min(
            settings.maintenance().startDelay().toMillis(),
            settings.maintenance().startTimeout().toMillis()),
        TimeUnit.SECONDS.toMillis(MAINTENANCE_START_POLL_SECONDS),
        TimeUnit.MILLISECONDS);
  }

  static final String MAINTENANCE_JOB_NAME = JOB_NAME + "-maintenance";

  /**
   * Table maintenance as a job of its own, not a sub-graph of the ingest job: a rewrite runs
   * synchronously in its task, and in the same job every checkpoint (so every commit of fresh rows)
   * waited for it, seconds at a time. Apart, ingest checkpoints never wait for maintenance, and
   * maintenance (which polls the table and commits through Iceberg's optimistic concurrency) needs
   * no checkpoint of its own: without state it re-plans from the table after a restart. On a local
   * MiniCluster it gets a MiniCluster of its own, with a REST port of its own choosing.
   */
  static JobClient startMaintenance(
      Configuration ingest, TableLoader table, JobSettings settings, boolean orphanCleanup)
      throws Exception {
    Configuration conf = new Configuration(ingest);
    conf.removeConfig(StateRecoveryOptions.SAVEPOINT_PATH);
    conf.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
    conf.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG);
    conf.setString("rest.bind-port", "0");
    conf.removeKey("rest.port");
    // a few keys of state and no checkpoints: neither RocksDB nor a changelog
    conf.setString("state.backend.type", "hashmap");
    conf.setString("state.changelog.enabled", "false");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    LakeMaintenance.append(env, table, settings.maintenance(), orphanCleanup);
    return env.executeAsync(MAINTENANCE_JOB_NAME);
  }

  /**
   * How the source treats an offset Kafka no longer has. Records that Kafka's retention deleted
   * before the job read them are dead-lettered here, at start ({@link RetentionGaps}), and the
   * source then reads on from the earliest offset. Without a gap, once every partition has a
   * committed offset, the source resets nothing: a gap that opens while the job runs fails it
   * instead of being skipped. A first start reads from the earliest offset.
   */
  @SuppressWarnings("deprecation")
  static OffsetResetStrategy resetStrategy(JobSettings settings) throws Exception {
    RetentionGaps.Check check =
        RetentionGaps.find(settings.bootstrapServers(), settings.rawTopic(), settings.groupId());
    if (!check.gaps().isEmpty()) {
      RetentionGaps.deadLetter(settings.bootstrapServers(), settings.dlqTopic(), check.gaps());
      return OffsetResetStrategy.EARLIEST;
    }
    return check.allCommitted() ? OffsetResetStrategy.NONE : OffsetResetStrategy.EARLIEST;
  }

  /**
   * The production source: Kafka (read_committed) wrapped to report a backlog.
   *
   * @param settings the job's settings
   * @param reset what the source does with an offset Kafka no longer has ({@link #resetStrategy})
   * @return the source
   */
  @SuppressWarnings("deprecation")
  public static Source<RawRecord, ?, ?> source(JobSettings settings, OffsetResetStrategy reset) {
    return new BacklogAwareSource<>(
        kafkaSource(settings, reset),
        settings.backlogThreshold(),
        settings.checkpointInterval(),
        settings.checkpointIntervalDuringBacklog());
  }

  // OffsetResetStrategy is deprecated in Kafka 4, but it is what Flink's Kafka connector takes
  @SuppressWarnings("deprecation")
  static KafkaSource<RawRecord> kafkaSource(JobSettings settings, OffsetResetStrategy reset) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setTopics(settings.rawTopic())
        .setGroupId(settings.groupId())
        // offsets in the checkpoint win on restore; the committed group offsets serve a start
        // without state; the reset strategy (also the consumer's auto.offset.reset) covers the
        // very first start and an offset Kafka has deleted (resetStrategy)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
        .setDeserializer(new RawRecordDeserializer())
        .setProperty("isolation.level", "read_committed")
        .setProperty("partition.discovery.interval.ms", "60000")
        .build();
  }

  /**
   * Flink settings of the job: exactly-once checkpoints retained on cancellation, storage keys, and
   * the checkpoint to resume from. An explicit execution.state-recovery.path wins.
   */
  public static Configuration environmentConfiguration(JobSettings settings) throws IOException {
    Configuration conf = settings.flinkConfiguration();
    settings.storage().applyTo(conf);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
    // the source reports when it drains a backlog (BacklogAwareSource)
    conf.set(
        CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG,
        settings.checkpointIntervalDuringBacklog());
    STATE_DEFAULTS.forEach(
        (key, value) -> {
          if (!conf.containsKey(key)) {
            conf.setString(key, value);
          }
        });
    if (!conf.containsKey(CHANGELOG_PATH)) {
      conf.setString(CHANGELOG_PATH, settings.checkpointDir().replaceAll("/+$", "") + "/changelog");
    }
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (!conf.contains(PipelineOptions.OBJECT_REUSE)) {
      // no function keeps a reference to a record it has passed on: skip the defensive copies
      // between chained operators
      conf.set(PipelineOptions.OBJECT_REUSE, true);
    }
    if (!conf.contains(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)) {
      conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
    }
    if (!conf.contains(StateRecoveryOptions.SAVEPOINT_PATH) && settings.autoResume()) {
      // the checkpoint directory may be gs://: the file systems must know the storage keys
      FileSystem.initialize(conf, null);
      Optional<String> latest = CheckpointLocator.latest(settings.checkpointDir());
      if (latest.isPresent()) {
        LOG.info("Resuming from the latest retained checkpoint {}", latest.get());
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.get());
        // the new run owns the old checkpoint and deletes it once subsumed: no pile-up of runs
        conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
      } else {
        LOG.info("No retained checkpoint under {}: fresh start", settings.checkpointDir());
      }
    }
    return conf;
  }

  static Catalog catalog(JobSettings settings) {
    return org.apache.iceberg.CatalogUtil.buildIcebergCatalog(
        settings.catalogName(),
        settings.catalogProperties(),
        settings.storage().hadoopConfiguration());
  }

  static int rawTopicPartitions(JobSettings settings) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    // kafka-clients 4.x rejects default.api.timeout.ms below request.timeout.ms (30 s by default)
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(props)) {
      Map<String, org.apache.kafka.clients.admin.TopicDescription> topics =
          admin
              .describeTopics(java.util.List.of(settings.rawTopic()))
              .allTopicNames()
              .get(15, TimeUnit.SECONDS);
      return Math.max(1, topics.get(settings.rawTopic()).partitions().size());
    } catch (Exception e) {
      LOG.warn(
          "Cannot read the partitions of {} ({}); parallelism {}",
          settings.rawTopic(),
          e.toString(),
          FALLBACK_PARALLELISM);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return FALLBACK_PARALLELISM;
    }
  }
}
