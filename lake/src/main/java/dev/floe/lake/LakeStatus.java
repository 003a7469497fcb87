package dev.floe.lake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.LakeNames;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

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
        JsonNode job = runningJob(info.get().flinkRestUrl());
        jobState = Optional.of(job.path("state").asText());
        checkpoint = restCheckpoint(info.get().flinkRestUrl(), job.path("jid").asText());
        lastFailure = lastFailure(info.get().flinkRestUrl(), job.path("jid").asText());
        commitMode = commitMode(info.get().flinkRestUrl(), job.path("jid").asText());
      } catch (IOException e) {
        notes.add("Flink REST API: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
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
        rows = Optional.of(single(s, "SELECT count(*) FROM " + TABLE));
        files =
            Optional.of(
                single(s, "SELECT count(*) FROM iceberg.lake.\"events$files\" WHERE content = 0"));
        recovery = recovery(s);
      } catch (SQLException e) {
        notes.add("Trino: " + e.getMessage());
      }
      try {
        lag = Optional.of(lag(info.get().kafkaBootstrapServers(), info.get().jobGroupId()));
        retention =
            Optional.of(
                RetentionView.read(
                    info.get().kafkaBootstrapServers(), info.get().jobGroupId(), Instant.now()));
      } catch (Exception e) {
        notes.add("Kafka: " + e.getMessage());
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
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

  private static JsonNode runningJob(String restUrl) throws IOException, InterruptedException {
    JsonNode jobs = JsonHttp.getJson(restUrl + "/jobs/overview").path("jobs");
    JsonNode chosen = null;
    for (JsonNode job : jobs) {
      if (chosen == null || "RUNNING".equals(job.path("state").asText())) {
        chosen = job;
      }
    }
    if (chosen == null) {
      throw new IOException("no job on the MiniCluster");
    }
    return chosen;
  }

  /** Gauges of the job's source readers (BacklogAwareSource), under the group floe. */
  static final String BACKLOG_GAUGE = "floe.processingBacklog";

  static final String INTERVAL_GAUGE = "floe.commitIntervalMs";

  /**
   * The commit interval in force, from the gauges of the raw source's readers (the maximum over its
   * subtasks; every reader carries the job's state).
   */
  static Optional<CommitMode> commitMode(String restUrl, String jobId)
      throws IOException, InterruptedException {
    String vertex = null;
    for (JsonNode v : JsonHttp.getJson(restUrl + "/jobs/" + jobId).path("vertices")) {
      if (v.path("name").asText().startsWith("Source: events-raw-source")) {
        vertex = v.path("id").asText();
      }
    }
    if (vertex == null) {
      return Optional.empty();
    }
    String metrics = restUrl + "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics";
    String backlogId = null;
    String intervalId = null;
    for (JsonNode m : JsonHttp.getJson(metrics)) {
      String id = m.path("id").asText();
      if (id.endsWith(BACKLOG_GAUGE)) {
        backlogId = id;
      } else if (id.endsWith(INTERVAL_GAUGE)) {
        intervalId = id;
      }
    }
    if (backlogId == null || intervalId == null) {
      return Optional.empty();
    }
    Double backlog = null;
    Double interval = null;
    for (JsonNode m : JsonHttp.getJson(metrics + "?agg=max&get=" + backlogId + "," + intervalId)) {
      if (m.path("id").asText().equals(backlogId)) {
        backlog = m.path("max").asDouble();
      } else {
        interval = m.path("max").asDouble();
      }
    }
    return backlog == null || interval == null
        ? Optional.empty()
        : Optional.of(new CommitMode(backlog > 0, interval.longValue()));
  }

  /**
   * The job's latest failure with its innermost cause (a full disk says "No space left on device"),
   * and how many checkpoints failed, from the Flink REST API; empty when the job never failed.
   */
  static Optional<String> lastFailure(String restUrl, String jobId)
      throws IOException, InterruptedException {
    JsonNode entries =
        JsonHttp.getJson(restUrl + "/jobs/" + jobId + "/exceptions?maxExceptions=1")
            .path("exceptionHistory")
            .path("entries");
    if (!entries.isArray() || entries.isEmpty()) {
      return Optional.empty();
    }
    JsonNode latest = entries.get(0);
    String[] lines = latest.path("stacktrace").asText("").split("\n");
    String cause = lines[0].isBlank() ? latest.path("exceptionName").asText() : lines[0];
    for (String line : lines) {
      if (line.startsWith("Caused by: ")) {
        cause = line.substring("Caused by: ".length());
      }
    }
    long failedCheckpoints =
        JsonHttp.getJson(restUrl + "/jobs/" + jobId + "/checkpoints")
            .path("counts")
            .path("failed")
            .asLong();
    return Optional.of(
        Instant.ofEpochMilli(latest.path("timestamp").asLong())
            + " "
            + cause
            + " ("
            + failedCheckpoints
            + " failed checkpoints; the job restarts from its last checkpoint)");
  }

  private static Optional<Checkpoint> restCheckpoint(String restUrl, String jobId)
      throws IOException, InterruptedException {
    JsonNode latest =
        JsonHttp.getJson(restUrl + "/jobs/" + jobId + "/checkpoints")
            .path("latest")
            .path("completed");
    if (latest.isMissingNode() || latest.isNull()) {
      return Optional.empty();
    }
    return Optional.of(
        new Checkpoint(
            latest.path("id").asLong(),
            Instant.ofEpochMilli(latest.path("latest_ack_timestamp").asLong()),
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
    try (ResultSet rs =
        s.executeQuery(
            "SELECT snapshot_id, CAST(to_unixtime(committed_at) * 1000 AS bigint), operation"
                + " FROM iceberg.lake.\"events$snapshots\""
                + " ORDER BY committed_at DESC LIMIT 1")) {
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
    try (ResultSet rs =
        s.executeQuery(
            "SELECT key, value FROM iceberg.lake.\"events$properties\" WHERE key IN ('"
                + LakeNames.TABLE_RECOVERED_FROM_PROPERTY
                + "', '"
                + LakeNames.TABLE_RECOVERED_AT_PROPERTY
                + "')")) {
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
   * Records of the raw topic the job's group has not committed yet, summed over partitions (a
   * partition without a committed offset counts from its start).
   *
   * @param bootstrap Kafka bootstrap servers
   * @param groupId the job's consumer group
   * @return the lag
   * @throws Exception when Kafka does not answer
   */
  public static long lag(String bootstrap, String groupId) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      int partitions =
          admin
              .describeTopics(List.of(RAW_TOPIC))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(RAW_TOPIC)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        request.put(new TopicPartition(RAW_TOPIC, i), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, r) -> ends.put(tp, r.offset()));
      long lag = 0;
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        lag += Math.max(0, end.getValue() - (c == null ? 0 : c.offset()));
      }
      return lag;
    }
  }
}
