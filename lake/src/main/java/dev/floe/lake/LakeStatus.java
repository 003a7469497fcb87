package dev.floe.lake;

import dev.floe.contract.JobMetrics;
import dev.floe.contract.LakeNames;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Supervisor;
import dev.floe.view.FlinkRest;
import dev.floe.view.Http;
import dev.floe.view.KafkaLag;
import dev.floe.view.TableFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The status view behind {@code floe status}: each component's state (from the pid files), the
 * Flink job's last completed checkpoint (its REST API, else the checkpoint directory), the last
 * Iceberg commit and the table's row and data-file counts (Trino), and the Kafka consumer lag of
 * the job's group (committed offsets vs the end of {@code events.raw}). Every part that cannot be
 * read says why instead of failing the whole view.
 */
public final class LakeStatus {

  /** The raw topic whose lag is reported. */
  static final String RAW_TOPIC = LakeNames.RAW_TOPIC;

  /** The table the status counts. */
  static final String TABLE = LakeNames.TRINO_TABLE;

  private LakeStatus() {}

  /**
   * The last completed checkpoint.
   *
   * @param id checkpoint id
   * @param completedAt when it completed
   * @param where where it was read from (REST API or a path)
   */
  public record Checkpoint(long id, Instant completedAt, String where) {}

  /**
   * How the job commits now: the source's gauges (the job's {@code BacklogAwareSource}).
   *
   * @param backlog whether the source is draining a backlog
   * @param intervalMs the checkpoint (commit) interval in force
   */
  public record CommitMode(boolean backlog, long intervalMs) {
    String render() {
      String interval = intervalMs % 1000 == 0 ? (intervalMs / 1000) + " s" : intervalMs + " ms";
      return interval + (backlog ? " (draining a backlog)" : " (caught up)");
    }
  }

  /**
   * The newest Iceberg snapshot of the table.
   *
   * @param snapshotId the snapshot id
   * @param committedAt its commit time
   * @param operation append, overwrite, ...
   */
  public record Commit(long snapshotId, Instant committedAt, String operation) {}

  /**
   * Everything the view shows.
   *
   * @param components component name to state ("running (pid N)" or "stopped")
   * @param jobState the Flink job's state, when its REST API answered
   * @param lastFailure the job's latest failure and its innermost cause, and its failed checkpoints
   * @param checkpoint the last completed checkpoint
   * @param commitMode the commit interval in force and why
   * @param commit the last Iceberg commit
   * @param rows rows in the table
   * @param dataFiles live data files of the table
   * @param lag consumer lag of the job's group on events.raw, summed over partitions
   * @param retention how close the job is to Kafka's retention, and gaps already there
   * @param recovery the table's last recovery from the warehouse: the metadata file and when
   * @param disks free space of the warehouse's and the checkpoints' file systems, one line each
   * @param notes why a part is missing
   */
  public record Report(
      Map<String, String> components,
      Optional<String> jobState,
      Optional<String> lastFailure,
      Optional<Checkpoint> checkpoint,
      Optional<CommitMode> commitMode,
      Optional<Commit> commit,
      Optional<Long> rows,
      Optional<Long> dataFiles,
      Optional<Long> lag,
      Optional<RetentionView> retention,
      Optional<String> recovery,
      List<String> disks,
      List<String> notes) {

    /**
     * The view as the terminal shows it.
     *
     * @return several lines of text
     */
    public String render() {
      StringBuilder out = new StringBuilder("Components\n");
      components.forEach(
          (name, state) -> out.append(String.format(Locale.ROOT, "  %-16s %s%n", name, state)));
      out.append("Flink job\n");
      out.append("  state            ").append(jobState.orElse("unknown")).append('\n');
      lastFailure.ifPresent(f -> out.append("  last failure     ").append(f).append('\n'));
      out.append("  last checkpoint  ")
          .append(
              checkpoint
                  .map(c -> "#" + c.id() + " at " + c.completedAt() + " (" + c.where() + ")")
                  .orElse("none"))
          .append('\n');
      out.append("  commit interval  ")
          .append(commitMode.map(CommitMode::render).orElse("unknown"))
          .append('\n');
      out.append("Kafka\n");
      out.append("  consumer lag     ")
          .append(
              lag.map(l -> l + " records of " + RAW_TOPIC + " not yet committed by the job")
                  .orElse("unknown"))
          .append('\n');
      retention.ifPresent(r -> r.lines().forEach(l -> out.append("  ").append(l).append('\n')));
      out.append("Iceberg table ").append(TABLE).append('\n');
      recovery.ifPresent(r -> out.append("  RECOVERED        ").append(r).append('\n'));
      out.append("  last commit      ")
          .append(
              commit
                  .map(
                      c ->
                          "snapshot "
                              + c.snapshotId()
                              + " at "
                              + c.committedAt()
                              + " ("
                              + c.operation()
                              + ")")
                  .orElse("unknown"))
          .append('\n');
      out.append("  rows             ").append(rows.map(String::valueOf).orElse("unknown"));
      out.append('\n');
      out.append("  data files       ").append(dataFiles.map(String::valueOf).orElse("unknown"));
      out.append('\n');
      if (!disks.isEmpty()) {
        out.append("Disks\n");
        disks.forEach(d -> out.append("  ").append(d).append('\n'));
      }
      for (String note : notes) {
        out.append("note: ").append(note).append('\n');
      }
      return out.toString();
    }
  }

  /**
   * Reads the status of the lake recorded in a data directory.
   *
   * @param dataDir the data directory
   * @return the report
   */
  public static Report read(Path dataDir) {
    List<String> notes = new ArrayList<>();
    Map<String, String> components = components(dataDir);
    Optional<RuntimeInfo> info = RuntimeInfo.read(dataDir);
    boolean launcherUp = Lake.launcherPidFile(dataDir).liveProcess().isPresent();
    if (info.isEmpty() || !launcherUp) {
      notes.add("the lake is not running (start it with ./floe up); showing what is on disk");
    }
    Optional<String> jobState = Optional.empty();
    Optional<String> lastFailure = Optional.empty();
    Optional<Checkpoint> checkpoint = Optional.empty();
    Optional<CommitMode> commitMode = Optional.empty();
    if (info.isPresent() && launcherUp) {
      try {
        FlinkRest rest = new FlinkRest(new Http(REST_TIMEOUT), info.get().flinkRestUrl());
        FlinkRest.Job job = rest.job();
        jobState = Optional.of(job.state());
        FlinkRest.Checkpoints checkpoints = rest.checkpoints(job.id());
        checkpoint = restCheckpoint(checkpoints);
        lastFailure = lastFailure(rest.lastFailure(job.id()), checkpoints);
        commitMode = commitMode(rest.metrics(job.id(), COMMIT_MODE_GAUGES));
      } catch (IOException e) {
        notes.add("Flink REST API: " + e.getMessage());
      }
    }
    if (checkpoint.isEmpty()) {
      checkpoint = newestCheckpointOnDisk(Lake.checkpointDir(dataDir));
    }
    Optional<Commit> commit = Optional.empty();
    Optional<Long> rows = Optional.empty();
    Optional<Long> files = Optional.empty();
    Optional<Long> lag = Optional.empty();
    Optional<RetentionView> retention = Optional.empty();
    Optional<String> recovery = Optional.empty();
    if (info.isPresent() && launcherUp) {
      try (Connection c = trino(info.get().trinoJdbcUrl());
          Statement s = c.createStatement()) {
        commit = lastCommit(s);
        rows = Optional.of(single(s, TableFacts.rows(TABLE)));
        files = Optional.of(single(s, TableFacts.dataFiles(TABLE)));
        recovery = recovery(s);
      } catch (SQLException e) {
        notes.add("Trino: " + e.getMessage());
      }
      try (KafkaLag kafka = kafkaLag(info.get().kafkaBootstrapServers(), info.get().jobGroupId())) {
        List<KafkaLag.PartitionLag> partitions = kafka.lag();
        lag = Optional.of(partitions.stream().mapToLong(KafkaLag.PartitionLag::lag).sum());
        retention = Optional.of(RetentionView.of(kafka.retention(partitions, Instant.now())));
      } catch (IOException | RuntimeException e) {
        notes.add("Kafka: " + e.getMessage());
      }
    }
    return new Report(
        components,
        jobState,
        lastFailure,
        checkpoint,
        commitMode,
        commit,
        rows,
        files,
        lag,
        retention,
        recovery,
        disks(dataDir),
        notes);
  }

  /**
   * Launcher, platform and lake components in start order, with their state and restarts, as {@code
   * ./floe status} shows them.
   *
   * @param dataDir the lake's data directory
   * @return component to state
   */
  public static Map<String, String> components(Path dataDir) {
    List<String> names = new ArrayList<>(List.of(Lake.LAUNCHER, "kafka", "postgres", "trino"));
    names.add(Lake.FLINK_JOB);
    try (Stream<Path> files = Files.list(dataDir.resolve("run"))) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("producer-") && n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(9))))
          .forEach(names::add);
    } catch (IOException | NumberFormatException e) {
      // no run directory or a foreign file: only the fixed components are listed
    }
    if (names.stream().noneMatch(n -> n.startsWith("producer-"))) {
      names.add(Lake.producerName(0));
    }
    names.add(Lake.QUERY_SERVICE);
    names.add(Lake.CATALOG_SERVICE);
    names.add(Lake.CONSOLE);
    Map<String, String> out = new LinkedHashMap<>();
    Path run = dataDir.resolve("run");
    for (String name : names) {
      String state =
          new PidFile(run.resolve(name + ".pid"))
              .liveProcess()
              .map(h -> "running (pid " + h.pid() + ")")
              .orElse("stopped");
      String restarts =
          Supervisor.read(run, name)
              .filter(r -> r.restarts() > 0 || r.lastCrash() != null)
              .map(r -> ", " + r.render())
              .orElse("");
      out.put(name, state + restarts);
    }
    out.put("logs", dataDir.resolve("logs") + "/<component>.log");
    return out;
  }

  /** Each request of the Flink REST API must answer within this. */
  static final Duration REST_TIMEOUT = Duration.ofSeconds(3);

  /** Kafka's Admin API must answer each request within this. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

  /** The gauges of the job's raw source readers (BacklogAwareSource) that say how it commits. */
  static final List<String> COMMIT_MODE_GAUGES =
      List.of(JobMetrics.PROCESSING_BACKLOG_GAUGE, JobMetrics.COMMIT_INTERVAL_GAUGE);

  /**
   * The commit interval in force, from the gauges of the raw source's readers (the maximum over its
   * subtasks; every reader carries the job's state).
   */
  static Optional<CommitMode> commitMode(Map<String, Double> gauges) {
    Double backlog = gauges.get(JobMetrics.PROCESSING_BACKLOG_GAUGE);
    Double interval = gauges.get(JobMetrics.COMMIT_INTERVAL_GAUGE);
    return backlog == null || interval == null
        ? Optional.empty()
        : Optional.of(new CommitMode(backlog > 0, interval.longValue()));
  }

  /**
   * The job's latest failure with its innermost cause (a full disk says "No space left on device"),
   * and how many checkpoints failed; empty when the job never failed.
   */
  static Optional<String> lastFailure(
      Optional<FlinkRest.Failure> failure, FlinkRest.Checkpoints checkpoints) {
    long failedCheckpoints = checkpoints.failed() == null ? 0 : checkpoints.failed();
    return failure.map(
        f ->
            f.at()
                + " "
                + f.cause()
                + " ("
                + failedCheckpoints
                + " failed checkpoints; the job restarts from its last checkpoint)");
  }

  private static Optional<Checkpoint> restCheckpoint(FlinkRest.Checkpoints checkpoints) {
    if (checkpoints.completedId() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Checkpoint(
            checkpoints.completedId(),
            Instant.ofEpochMilli(checkpoints.completedAt()),
            "Flink REST API"));
  }

  /** The newest {@code <dir>/<job-id>/chk-<n>/_metadata}: what the next start resumes from. */
  static Optional<Checkpoint> newestCheckpointOnDisk(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(dir)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(LakeStatus::listQuietly)
          .filter(p -> p.getFileName().toString().matches("chk-[0-9]+"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .map(
              p -> {
                try {
                  return new Checkpoint(
                      Long.parseLong(p.getFileName().toString().substring(4)),
                      Files.getLastModifiedTime(p.resolve("_metadata")).toInstant(),
                      p.toString());
                } catch (IOException e) {
                  return null;
                }
              })
          .filter(java.util.Objects::nonNull)
          .max(Comparator.comparing(Checkpoint::completedAt));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Stream<Path> listQuietly(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList().stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  /**
   * A Trino connection as the read-only user, as the status view opens it.
   *
   * @param jdbcUrl Trino's JDBC URL
   * @return the connection
   * @throws SQLException when Trino does not answer
   */
  public static Connection trino(String jdbcUrl) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", EmbeddedStack.TRINO_QUERY_USER);
    p.setProperty("timeout", "10s");
    return DriverManager.getConnection(jdbcUrl, p);
  }

  private static Optional<Commit> lastCommit(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery(TableFacts.lastCommit(TABLE))) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Commit(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3)));
    }
  }

  /** Below this, a file system is full: the job's writes fail. */
  static final long FULL_BELOW_BYTES = 1L << 20;

  /** Below this share of its size, a file system is low. */
  static final double LOW_BELOW_SHARE = 0.05;

  /**
   * Free space where the job writes: the warehouse (data and metadata files) and the checkpoints. A
   * full one is why the job fails and restarts (its last failure says little more than that a
   * checkpoint failed).
   *
   * @param dataDir the lake's data directory
   * @return "warehouse ..." and "checkpoints ..." lines, for the directories that exist
   */
  static List<String> disks(Path dataDir) {
    List<String> out = new ArrayList<>();
    Map<String, Path> dirs = new LinkedHashMap<>();
    dirs.put("warehouse", dataDir.resolve("warehouse"));
    dirs.put("checkpoints", Lake.checkpointDir(dataDir));
    dirs.forEach(
        (name, dir) -> {
          if (Files.isDirectory(dir)) {
            try {
              java.nio.file.FileStore store = Files.getFileStore(dir);
              long free = store.getUsableSpace();
              long total = store.getTotalSpace();
              String state =
                  free < FULL_BELOW_BYTES
                      ? ": FULL (the job's writes fail; it restarts from its last checkpoint"
                          + " until space is freed, and nothing acknowledged is lost)"
                      : free < total * LOW_BELOW_SHARE ? ": low" : "";
              out.add(
                  String.format(
                      Locale.ROOT,
                      "%-16s %s free of %s%s",
                      name,
                      bytes(free),
                      bytes(total),
                      state));
            } catch (IOException e) {
              out.add(String.format(Locale.ROOT, "%-16s unknown (%s)", name, e.getMessage()));
            }
          }
        });
    return out;
  }

  static String bytes(long b) {
    if (b < 1L << 20) {
      return (b >> 10) + " KB";
    }
    if (b < 1L << 30) {
      return (b >> 20) + " MB";
    }
    return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
  }

  /**
   * The table's last recovery from the warehouse, from the properties the job records ({@link
   * LakeNames#TABLE_RECOVERED_FROM_PROPERTY}): "registered from FILE at TIME ...".
   */
  static Optional<String> recovery(Statement s) throws SQLException {
    Map<String, String> props = new HashMap<>();
    try (ResultSet rs = s.executeQuery(TableFacts.recovery(TABLE))) {
      while (rs.next()) {
        props.put(rs.getString(1), rs.getString(2));
      }
    }
    return Optional.ofNullable(props.get(LakeNames.TABLE_RECOVERED_FROM_PROPERTY))
        .map(
            file ->
                "registered from "
                    + file
                    + " at "
                    + props.getOrDefault(LakeNames.TABLE_RECOVERED_AT_PROPERTY, "?")
                    + " (the catalog had lost the table or pointed at older metadata)");
  }

  private static long single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * A reader of the job group's progress on the raw topic, as the status view reads it.
   *
   * @param bootstrap Kafka bootstrap servers
   * @param groupId the job's consumer group
   * @return the reader, to close
   */
  public static KafkaLag kafkaLag(String bootstrap, String groupId) {
    return new KafkaLag(bootstrap, "floe-status", groupId, RAW_TOPIC, KAFKA_TIMEOUT);
  }
}
