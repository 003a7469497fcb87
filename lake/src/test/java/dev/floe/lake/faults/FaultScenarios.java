package dev.floe.lake.faults;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.contract.DeadLetter;
import dev.floe.view.DeadLetterReader;
import dev.floe.view.FlinkRest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The fault scenarios: each streams events through {@code POST /events} while it injects its
 * faults, waits for every batch to be acknowledged, then compares by event id the acknowledged set
 * with {@code lake.events} and with {@code events.clean} (read_committed). The faults are only
 * injected: the lake's supervisor restarts what was killed, and a component that is not back within
 * {@link #RECOVER_WITHIN} fails the scenario, named.
 */
final class FaultScenarios {

  /** How long a killed component may take to be back, end to end (an event visible again). */
  static final Duration RECOVER_WITHIN = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FaultLake lake;
  private final Consumer<String> log;
  private final Random random;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  FaultScenarios(FaultLake lake, long seed, Consumer<String> log) {
    this.lake = lake;
    this.log = log;
    this.random = new Random(seed);
  }

  /** The figures of one scenario and what went wrong in it. */
  record Outcome(
      String scenario,
      long acknowledged,
      long inLake,
      long inClean,
      long duplicates,
      long lost,
      long unexpected,
      double recoverySeconds,
      List<String> failures) {

    boolean passed() {
      return failures.isEmpty() && duplicates == 0 && lost == 0 && unexpected == 0;
    }

    /** The machine-readable line. */
    String line() {
      return String.format(
          Locale.ROOT,
          "FLOE-FAULT scenario=%s acknowledged=%d in_lake=%d in_clean=%d duplicates=%d lost=%d"
              + " recovery_s=%.1f",
          scenario,
          acknowledged,
          inLake,
          inClean,
          duplicates,
          lost,
          recoverySeconds);
    }
  }

  /** One fault: when (fraction of the stream acknowledged) and what. */
  private record Fault(double at, String component, Runnable action) {}

  /** {@code kill -9} of the Flink job process {@code kills} times at random moments. */
  Outcome jobKills(long events, int rate, int kills) {
    List<Double> at = new ArrayList<>();
    for (int i = 0; i < kills; i++) {
      at.add(0.05 + 0.85 * random.nextDouble());
    }
    at.sort(Double::compare);
    List<Fault> faults = new ArrayList<>();
    for (double a : at) {
      faults.add(new Fault(a, FaultLake.JOB, () -> kill(FaultLake.JOB)));
    }
    return run("job-kill", events, rate, faults, null);
  }

  /** {@code kill -9} of the Kafka broker under HTTP load; producers answer 503 meanwhile. */
  Outcome kafkaKill(long events, int rate) {
    EventStream[] stream = new EventStream[1];
    return run(
        "kafka-kill",
        events,
        rate,
        List.of(new Fault(0.3, FaultLake.KAFKA, () -> kill(FaultLake.KAFKA))),
        (s, failures) -> {
          stream[0] = s;
          log.accept(
              "faults: kafka-kill: "
                  + s.unavailableAnswers()
                  + " requests answered 503 and "
                  + s.failedConnections()
                  + " without an answer while the broker was down");
          if (s.unavailableAnswers() + s.failedConnections() == 0) {
            failures.add("no request was refused while the broker was down");
          }
        });
  }

  /** {@code kill -9} of PostgreSQL (the Iceberg catalog's server) while the job commits. */
  Outcome postgresKill(long events, int rate) {
    return run(
        "postgres-kill",
        events,
        rate,
        List.of(new Fault(0.3, FaultLake.POSTGRES, () -> kill(FaultLake.POSTGRES))),
        null);
  }

  /** {@code kill -9} of Trino during queries: the query-service answers 503, then recovers. */
  Outcome trinoKill(long events, int rate) {
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    ScheduledExecutorService queries = Executors.newSingleThreadScheduledExecutor();
    queries.scheduleWithFixedDelay(
        () -> statuses.add(queryStatus("SELECT count(*) FROM events")),
        0,
        500,
        TimeUnit.MILLISECONDS);
    try {
      return run(
          "trino-kill",
          events,
          rate,
          List.of(new Fault(0.3, FaultLake.TRINO, () -> kill(FaultLake.TRINO))),
          (s, failures) -> {
            List<Integer> seen = new ArrayList<>(statuses);
            int firstDown = seen.indexOf(503);
            int lastOk = seen.lastIndexOf(200);
            log.accept(
                "faults: trino-kill: query-service answers "
                    + summary(seen)
                    + " (503 while Trino was down)");
            if (firstDown < 0) {
              failures.add("the query-service never answered 503 while Trino was down");
            } else if (lastOk < firstDown) {
              failures.add("the query-service did not answer 200 again after Trino's restart");
            }
            if (seen.stream().anyMatch(c -> c >= 500 && c != 503)) {
              failures.add("the query-service answered a 5xx other than 503: " + summary(seen));
            }
          });
    } finally {
      queries.shutdownNow();
    }
  }

  /** {@code kill -9} of one producer replica under load: the client moves to another one. */
  Outcome producerKill(long events, int rate) {
    String replica = dev.floe.lake.Lake.producerName(0);
    return run(
        "producer-kill", events, rate, List.of(new Fault(0.3, replica, () -> kill(replica))), null);
  }

  /** The job stopped and started at another parallelism from its retained checkpoint. */
  Outcome rescale(long events, int rate) {
    int[] target = new int[1];
    return run(
        "rescale",
        events,
        rate,
        List.of(
            new Fault(
                0.3,
                null,
                () -> {
                  int now = jobParallelism();
                  target[0] = now == 1 ? 2 : 1;
                  log.accept(
                      "faults: rescaling the job from parallelism " + now + " to " + target[0]);
                  lake.lake.rescaleFlinkJob(target[0]);
                })),
        (s, failures) -> {
          int now = jobParallelism();
          if (now != target[0]) {
            failures.add("the job runs at parallelism " + now + ", not " + target[0]);
          }
        });
  }

  /**
   * The catalog database is lost: half the events are streamed and committed, the lake is stopped,
   * PostgreSQL's data directory is deleted, the lake is started again (a new, empty catalog), and
   * the other half is streamed. The job must register the table from the warehouse (and say so in
   * {@code ./floe status}), resume from its checkpoint and lose or double nothing; no data file
   * written before may be gone.
   */
  /** The data files the table's current snapshot references, through Trino's $files table. */
  private Set<Path> referencedDataFiles() {
    String table =
        FaultLake.TABLE.substring(0, FaultLake.TABLE.lastIndexOf('.') + 1)
            + "\""
            + FaultLake.TABLE.substring(FaultLake.TABLE.lastIndexOf('.') + 1)
            + "$files\"";
    Set<Path> paths = new HashSet<>();
    try (java.sql.Connection c = lake.trino();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT file_path FROM " + table)) {
      while (rs.next()) {
        paths.add(Path.of(java.net.URI.create(rs.getString(1)).getPath()));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot list the table's data files", e);
    }
    return paths;
  }

  Outcome catalogLoss(long events, int rate) {
    String name = "catalog-loss";
    String type = "fault_catalog_loss_" + Long.toHexString(System.nanoTime());
    List<String> failures = new ArrayList<>();
    Map<TopicPartition, Long> cleanStart = lake.endOffsets(FaultLake.CLEAN);
    Set<UUID> acknowledged = new HashSet<>();
    long half = events / 2;
    log.accept(
        "faults: " + name + ": " + events + " events at " + rate + "/s, half before the loss");
    streamAll(type, half, rate, acknowledged, failures);
    String countSql = "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE type = ?";
    poll(
        Duration.ofMinutes(3),
        Duration.ofMillis(500),
        () -> lake.count(countSql, type) >= acknowledged.size() && lake.jobLag() == 0);
    Path data = lake.warehouse().resolve("lake").resolve("events").resolve("data");
    Set<Path> filesBefore = files(data);
    long t0 = System.nanoTime();
    lake.restart(
        dir -> {
          Path postgres = dir.resolve("postgres");
          log.accept("faults: " + name + ": deleting the catalog database " + postgres);
          deleteTree(postgres);
        });
    streamAll(type, events - half, rate, acknowledged, failures);
    double recovery = (System.nanoTime() - t0) / 1e9;
    Outcome o = verify(name, type, acknowledged, cleanStart, recovery, failures);
    Optional<String> recovered = dev.floe.lake.LakeStatus.read(lake.dataDir).recovery();
    if (recovered.isEmpty() || !recovered.get().contains(".metadata.json")) {
      o.failures()
          .add("./floe status does not name the metadata file the table was recovered from");
    } else {
      log.accept("faults: " + name + ": ./floe status: RECOVERED " + recovered.get());
    }
    // Nothing written before the loss may be lost: every data file the recovered table references
    // exists (the counts above show its rows). A file from before the loss that is gone must have
    // left the table through maintenance (a rewrite, then the expiry of the snapshots that held
    // it), never as an orphan: the table no longer references it.
    Set<Path> referenced = referencedDataFiles();
    Set<Path> missing = new HashSet<>(referenced);
    missing.removeIf(Files::exists);
    if (!missing.isEmpty()) {
      o.failures()
          .add(
              missing.size()
                  + " data files the recovered table references are gone, e.g. "
                  + missing.iterator().next());
    }
    Set<Path> gone = new HashSet<>(filesBefore);
    gone.removeAll(files(data));
    gone.retainAll(referenced);
    if (!gone.isEmpty()) {
      o.failures()
          .add(
              gone.size()
                  + " data files written before the loss are gone while the table references them,"
                  + " e.g. "
                  + gone.iterator().next());
    }
    return o;
  }

  /**
   * A backup restored into an emptied data directory: events are streamed and committed, the lake
   * is stopped, backed up ({@code ./floe backup}), its data directory deleted and the backup
   * restored into it ({@code ./floe restore}), and the lake started again. {@code SELECT count(*)}
   * and a sample of rows must answer as before, and every acknowledged event be in the table and in
   * events.clean once.
   */
  Outcome restore(long events, int rate, Path backupDir) {
    String name = "restore";
    String type = "fault_restore_" + Long.toHexString(System.nanoTime());
    List<String> failures = new ArrayList<>();
    Map<TopicPartition, Long> cleanStart = lake.endOffsets(FaultLake.CLEAN);
    Set<UUID> acknowledged = new HashSet<>();
    log.accept("faults: " + name + ": " + events + " events at " + rate + "/s, then a backup");
    streamAll(type, events, rate, acknowledged, failures);
    String countSql = "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE type = ?";
    poll(
        Duration.ofMinutes(3),
        Duration.ofMillis(500),
        () -> lake.count(countSql, type) >= acknowledged.size() && lake.jobLag() == 0);
    long countBefore = lake.count("SELECT count(*) FROM " + FaultLake.TABLE, null);
    List<String> sampleBefore = sample(type);
    long t0 = System.nanoTime();
    lake.restart(
        dir -> {
          dev.floe.lake.Backup.backup(dir, backupDir, System.out);
          log.accept("faults: " + name + ": deleting the data directory " + dir);
          deleteTree(dir);
          try {
            Files.createDirectories(dir);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          dev.floe.lake.Backup.restore(backupDir, dir, System.out);
        });
    double recovery = (System.nanoTime() - t0) / 1e9;
    long countAfter = lake.count("SELECT count(*) FROM " + FaultLake.TABLE, null);
    List<String> sampleAfter = sample(type);
    log.accept(
        "faults: "
            + name
            + ": SELECT count(*) answers "
            + countBefore
            + " before the backup and "
            + countAfter
            + " after the restore");
    if (countAfter != countBefore) {
      failures.add(
          "SELECT count(*) answers " + countAfter + " after the restore, not " + countBefore);
    }
    if (!sampleAfter.equals(sampleBefore)) {
      failures.add(
          "the sample of rows differs after the restore: " + sampleAfter + " vs " + sampleBefore);
    }
    return verify(name, type, acknowledged, cleanStart, recovery, failures);
  }

  /** The first 20 rows of a type by event id, every column as text. */
  private List<String> sample(String type) {
    String sql =
        "SELECT event_id, type, user_id, CAST(occurred_at AS varchar), CAST(properties AS json),"
            + " source, kafka_partition, kafka_offset FROM "
            + FaultLake.TABLE
            + " WHERE type = ? ORDER BY event_id LIMIT 20";
    List<String> out = new ArrayList<>();
    await("a sample of " + type)
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              out.clear();
              try (Connection c = lake.trino();
                  PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, type);
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= 8; i++) {
                      row.append(rs.getString(i)).append('|');
                    }
                    out.add(row.toString());
                  }
                }
              }
              return !out.isEmpty();
            });
    return List.copyOf(out);
  }

  /**
   * Kafka's retention deletes events the job has not read: events are streamed and committed, the
   * job is stopped, more events are streamed, and the first half of what the job has not read is
   * deleted from events.raw (the Admin API's deleteRecords, as retention would). When the job
   * starts again it must write one RETENTION_GAP dead letter per partition naming the deleted
   * range, and every event Kafka still has must be in the table and in events.clean once. The
   * line's {@code acknowledged} counts the events Kafka still had; the deleted ones are logged
   * apart.
   */
  Outcome retentionGap(long events, int rate) {
    String name = "retention-gap";
    String type = "fault_retention_gap_" + Long.toHexString(System.nanoTime());
    List<String> failures = new ArrayList<>();
    Map<TopicPartition, Long> cleanStart = lake.endOffsets(FaultLake.CLEAN);
    Map<TopicPartition, Long> dlqStart = lake.endOffsets(FaultLake.DLQ);
    Set<UUID> beforeStop = new HashSet<>();
    Set<UUID> whileDown = new HashSet<>();
    long half = events / 2;
    log.accept(
        "faults: "
            + name
            + ": "
            + events
            + " events at "
            + rate
            + "/s, half while the job is down");
    streamAll(type, half, rate, beforeStop, failures);
    String countSql = "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE type = ?";
    poll(
        Duration.ofMinutes(3),
        Duration.ofMillis(500),
        () -> lake.count(countSql, type) >= beforeStop.size() && lake.jobLag() == 0);
    Map<TopicPartition, long[]> deleted = new HashMap<>();
    Map<TopicPartition, Long> survivorsFrom = new HashMap<>();
    long t0 = System.nanoTime();
    lake.lake.restartFlinkJob(
        () -> {
          Map<TopicPartition, Long> from = lake.endOffsets(FaultLake.RAW);
          streamAll(type, events - half, rate, whileDown, failures);
          Map<TopicPartition, Long> to = lake.endOffsets(FaultLake.RAW);
          from.forEach(
              (tp, f) -> {
                long cut = f + (to.get(tp) - f) / 2;
                survivorsFrom.put(tp, cut);
                if (cut > f) {
                  deleted.put(tp, new long[] {f, cut});
                }
              });
          Map<TopicPartition, Long> before = new HashMap<>();
          deleted.forEach((tp, range) -> before.put(tp, range[1]));
          lake.deleteRecords(before);
        });
    // the events Kafka still has: those of the type from the cut on
    Set<UUID> expected = new HashSet<>(beforeStop);
    lake.read(FaultLake.RAW, survivorsFrom, r -> eventId(r.value(), type).ifPresent(expected::add));
    expected.retainAll(union(beforeStop, whileDown));
    double recovery = (System.nanoTime() - t0) / 1e9;
    List<DeadLetterReader.Letter> gaps = new ArrayList<>();
    poll(
        Duration.ofMinutes(2),
        Duration.ofSeconds(1),
        () -> {
          gaps.clear();
          lake.read(
              FaultLake.DLQ,
              dlqStart,
              r -> {
                DeadLetterReader.Letter letter = DeadLetterReader.Letter.of(r);
                if (DeadLetter.Reason.RETENTION_GAP.name().equals(letter.reason())) {
                  gaps.add(letter);
                }
              });
          return gaps.size() >= deleted.size();
        });
    long deletedRecords = deleted.values().stream().mapToLong(r -> r[1] - r[0]).sum();
    log.accept(
        String.format(
            Locale.ROOT,
            "faults: %s: %d of %d acknowledged events deleted unread in %d partitions;"
                + " RETENTION_GAP dead letters: %s",
            name,
            beforeStop.size() + whileDown.size() - expected.size(),
            beforeStop.size() + whileDown.size(),
            deleted.size(),
            gaps.stream().map(DeadLetterReader.Letter::detail).toList()));
    for (Map.Entry<TopicPartition, long[]> d : deleted.entrySet()) {
      String range =
          "offsets "
              + d.getValue()[0]
              + "-"
              + (d.getValue()[1] - 1)
              + " of "
              + FaultLake.RAW
              + " partition "
              + d.getKey().partition();
      if (gaps.stream().noneMatch(g -> g.detail().contains(range))) {
        failures.add("no RETENTION_GAP dead letter names " + range);
      }
    }
    if (deletedRecords == 0) {
      failures.add("nothing was deleted: the scenario did not open a gap");
    }
    String status = dev.floe.lake.LakeStatus.read(lake.dataDir).render();
    if (!status.contains(dev.floe.lake.RetentionView.ON_GAP)) {
      failures.add("./floe status does not say what the job does on a gap");
    }
    return verify(name, type, expected, cleanStart, recovery, failures);
  }

  /**
   * The checkpoint directory runs out of space: the lake is restarted with its checkpoint directory
   * on a small tmpfs ({@link FaultLake#mountTmpfs}), half the events are streamed and committed,
   * the file system is filled up while the other half is streamed, the job fails for want of space
   * ({@code ./floe status} must say so), then the space is freed. Every acknowledged event must be
   * in the table and in events.clean once.
   */
  Outcome diskFull(long events, int rate) {
    String name = "disk-full";
    String type = "fault_disk_full_" + Long.toHexString(System.nanoTime());
    List<String> failures = new ArrayList<>();
    Path checkpoints = lake.dataDir.resolve("flink").resolve("checkpoints");
    lake.restart(dir -> lake.mountTmpfs(checkpoints, 64L << 20));
    Map<TopicPartition, Long> cleanStart = lake.endOffsets(FaultLake.CLEAN);
    Set<UUID> acknowledged = new HashSet<>();
    long half = events / 2;
    log.accept(
        "faults: " + name + ": " + events + " events at " + rate + "/s, half on a full disk");
    streamAll(type, half, rate, acknowledged, failures);
    String countSql = "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE type = ?";
    poll(
        Duration.ofMinutes(3),
        Duration.ofMillis(500),
        () -> lake.count(countSql, type) >= acknowledged.size() && lake.jobLag() == 0);
    Path filler = checkpoints.resolve("filler");
    fill(filler);
    long t0 = System.nanoTime();
    streamAll(type, events - half, rate, acknowledged, failures);
    // ./floe status says why: the job fails, and the checkpoints' file system is full
    String[] why = new String[2];
    boolean said =
        poll(
            Duration.ofMinutes(2),
            Duration.ofSeconds(1),
            () -> {
              dev.floe.lake.LakeStatus.Report r = dev.floe.lake.LakeStatus.read(lake.dataDir);
              why[0] = r.lastFailure().orElse("");
              why[1] =
                  r.disks().stream()
                      .filter(d -> d.startsWith("checkpoints"))
                      .findFirst()
                      .orElse("");
              return !why[0].isEmpty() && why[1].contains("FULL");
            });
    if (!said) {
      failures.add(
          "./floe status does not say the job fails for want of space: last failure '"
              + why[0]
              + "', disk '"
              + why[1]
              + "'");
    } else {
      log.accept("faults: " + name + ": ./floe status: last failure " + why[0]);
      log.accept("faults: " + name + ": ./floe status: " + why[1]);
    }
    long whileFull = lake.count(countSql, type);
    if (whileFull >= acknowledged.size()) {
      failures.add("the table grew to every event while the checkpoint disk was full");
    }
    try {
      Files.delete(filler);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    log.accept(
        "faults: "
            + name
            + ": space freed, "
            + whileFull
            + " of "
            + acknowledged.size()
            + " in the table");
    double recovery = (System.nanoTime() - t0) / 1e9;
    return verify(name, type, acknowledged, cleanStart, recovery, failures);
  }

  /** Writes to a file until its file system has no space left. */
  static void fill(Path file) {
    byte[] chunk = new byte[1 << 20];
    try (java.io.OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static Set<UUID> union(Set<UUID> a, Set<UUID> b) {
    Set<UUID> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** The event id of a raw record of the given type. */
  private static Optional<UUID> eventId(byte[] value, String type) {
    if (value == null
        || !contains(value, ("\"type\":\"" + type + "\"").getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(JSON.readTree(value).path("eventId").asText()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void streamAll(
      String type, long events, int rate, Set<UUID> acknowledged, List<String> failures) {
    try (EventStream stream =
        new EventStream(type, lake.producerUrls(), events, rate, 100).start()) {
      if (!stream.awaitDone(Duration.ofSeconds(events / Math.max(1, rate) * 3 + 300))) {
        failures.add("the stream's batches were not all acknowledged in time");
      }
      acknowledged.addAll(stream.acknowledged());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Set<Path> files(Path dir) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toSet());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private interface Check {
    void after(EventStream stream, List<String> failures);
  }

  private Outcome run(String name, long events, int rate, List<Fault> faults, Check check) {
    String type = "fault_" + name.replace('-', '_') + "_" + Long.toHexString(System.nanoTime());
    List<String> failures = new ArrayList<>();
    Map<TopicPartition, Long> cleanStart = lake.endOffsets(FaultLake.CLEAN);
    int resumesBefore = resumes();
    double recovery = 0;
    log.accept(
        String.format(
            Locale.ROOT,
            "faults: %s: %d events at %d/s through %d replica(s), %d fault(s)",
            name,
            events,
            rate,
            lake.producerUrls().size(),
            faults.size()));
    long streamSeconds = events / Math.max(1, rate);
    try (EventStream stream =
        new EventStream(type, lake.producerUrls(), events, rate, 100).start()) {
      for (Fault f : faults) {
        long threshold = (long) (f.at() * events);
        poll(
            Duration.ofSeconds(streamSeconds * 3 + 300),
            Duration.ofMillis(100),
            () -> stream.acknowledgedCount() >= threshold);
        int restartsBefore = f.component() == null ? 0 : lake.restarts(f.component());
        long t0 = System.nanoTime();
        f.action().run();
        double r = recover(stream, f.component(), restartsBefore, t0, failures);
        recovery = Math.max(recovery, r);
      }
      boolean done = stream.awaitDone(Duration.ofSeconds(streamSeconds * 3 + 600));
      if (!done) {
        failures.add("the stream's batches were not all acknowledged in time");
      }
      if (stream.badRequest() != null) {
        failures.add("a batch of the stream was refused with 400: " + stream.badRequest());
      }
      if (check != null) {
        check.after(stream, failures);
      }
      if (faults.stream()
              .anyMatch(f -> FaultLake.JOB.equals(f.component()) || f.component() == null)
          && resumes() <= resumesBefore) {
        failures.add("the job did not resume from a retained checkpoint");
      }
      return verify(
          name, type, new HashSet<>(stream.acknowledged()), cleanStart, recovery, failures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Time from the fault to an event acknowledged after it being visible in the table; checks that
   * the supervisor restarted the component.
   */
  private double recover(
      EventStream stream, String component, int restartsBefore, long t0, List<String> failures) {
    long deadline = t0 + RECOVER_WITHIN.toNanos();
    UUID probe = stream.probe(deadline);
    if (probe == null) {
      failures.add(
          "no event was acknowledged within "
              + RECOVER_WITHIN.toSeconds()
              + " s after the fault on "
              + component);
      return RECOVER_WITHIN.toSeconds();
    }
    String sql = "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE event_id = ?";
    if (!poll(
        left(deadline), Duration.ofMillis(200), () -> lake.count(sql, probe.toString()) >= 1)) {
      failures.add(
          "no event became visible within "
              + RECOVER_WITHIN.toSeconds()
              + " s after the fault on "
              + component
              + " (not back: "
              + downComponents()
              + ")");
      return RECOVER_WITHIN.toSeconds();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (component != null
        && !poll(
            left(deadline),
            Duration.ofMillis(200),
            () -> lake.restarts(component) > restartsBefore)) {
      failures.add(
          component
              + " was not restarted by the supervisor within "
              + RECOVER_WITHIN.toSeconds()
              + " s");
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "faults: %s: events visible again %.1f s after the fault",
            component == null ? "rescale" : component,
            seconds));
    return seconds;
  }

  private String downComponents() {
    List<String> down = new ArrayList<>();
    for (String c :
        List.of(
            FaultLake.KAFKA,
            FaultLake.POSTGRES,
            FaultLake.TRINO,
            FaultLake.JOB,
            dev.floe.lake.Lake.QUERY_SERVICE)) {
      if (lake.process(c).isEmpty()) {
        down.add(c);
      }
    }
    return down.isEmpty() ? "none down" : String.join(", ", down);
  }

  private Outcome verify(
      String name,
      String type,
      Set<UUID> acknowledged,
      Map<TopicPartition, Long> cleanStart,
      double recovery,
      List<String> failures) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    String countSql = "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE type = ?";
    poll(
        left(deadline),
        Duration.ofSeconds(1),
        () -> lake.count(countSql, type) >= acknowledged.size());
    // everything the job read is committed: a duplicate from a replay would be in the table now
    poll(left(deadline), Duration.ofMillis(500), () -> lake.jobLag() == 0);
    List<UUID> lakeRows = lakeIds(type);
    Set<UUID> inLake = new HashSet<>(lakeRows);
    List<List<UUID>> clean = new ArrayList<>(List.of(cleanIds(type, cleanStart)));
    poll(
        left(deadline),
        Duration.ofSeconds(2),
        () -> {
          if (clean.get(0).size() < acknowledged.size()) {
            clean.set(0, cleanIds(type, cleanStart));
          }
          return clean.get(0).size() >= acknowledged.size();
        });
    List<UUID> cleanRows = clean.get(0);
    Set<UUID> inClean = new HashSet<>(cleanRows);
    long duplicates = (lakeRows.size() - inLake.size()) + (cleanRows.size() - inClean.size());
    Set<UUID> missing = new HashSet<>(acknowledged);
    missing.removeAll(inLake);
    Set<UUID> missingClean = new HashSet<>(acknowledged);
    missingClean.removeAll(inClean);
    missing.addAll(missingClean);
    Set<UUID> unexpected = new HashSet<>(inLake);
    unexpected.addAll(inClean);
    unexpected.removeAll(acknowledged);
    if (!unexpected.isEmpty()) {
      failures.add(
          unexpected.size() + " events in the lake or events.clean were never acknowledged");
    }
    if (!missing.isEmpty()) {
      Set<UUID> missingLake = new HashSet<>(acknowledged);
      missingLake.removeAll(inLake);
      failures.add(
          "lost: "
              + missingLake.size()
              + " acknowledged events missing from lake.events, "
              + missingClean.size()
              + " from events.clean, e.g. "
              + missing.iterator().next());
    }
    return new Outcome(
        name,
        acknowledged.size(),
        lakeRows.size(),
        cleanRows.size(),
        duplicates,
        missing.size(),
        unexpected.size(),
        recovery,
        failures);
  }

  private List<UUID> lakeIds(String type) {
    String sql = "SELECT event_id FROM " + FaultLake.TABLE + " WHERE type = ?";
    List<UUID> out = new ArrayList<>();
    // Trino may still be coming back from a fault: read again until a read succeeds
    await("the table's ids of " + type)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(
            () -> {
              out.clear();
              try (Connection c = lake.trino();
                  PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, type);
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) {
                    out.add(UUID.fromString(rs.getString(1)));
                  }
                }
              }
              return true;
            });
    return out;
  }

  private List<UUID> cleanIds(String type, Map<TopicPartition, Long> from) {
    List<UUID> out = new ArrayList<>();
    byte[] marker = ("\"type\":\"" + type + "\"").getBytes(StandardCharsets.UTF_8);
    lake.read(
        FaultLake.CLEAN,
        from,
        r -> {
          if (contains(r.value(), marker)) {
            try {
              JsonNode n = JSON.readTree(r.value());
              if (type.equals(n.path("type").asText())) {
                out.add(UUID.fromString(n.path("eventId").asText()));
              }
            } catch (IOException | IllegalArgumentException e) {
              throw new IllegalStateException(
                  "events.clean holds a record that is not an event", e);
            }
          }
        });
    return out;
  }

  private static boolean contains(byte[] value, byte[] marker) {
    if (value == null) {
      return false;
    }
    outer:
    for (int i = 0; i <= value.length - marker.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (value[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void kill(String component) {
    try {
      long pid = lake.kill9(component);
      log.accept("faults: kill -9 " + component + " (pid " + pid + ")");
    } catch (Exception e) {
      throw new IllegalStateException("cannot kill " + component + ": " + e, e);
    }
  }

  /** How often the job's log says it resumed from a retained checkpoint. */
  private int resumes() {
    try {
      String logText =
          Files.readString(lake.dataDir.resolve("logs").resolve(FaultLake.JOB + ".log"));
      int n = 0;
      for (int i = logText.indexOf("Resuming from the latest retained checkpoint");
          i >= 0;
          i = logText.indexOf("Resuming from the latest retained checkpoint", i + 1)) {
        n++;
      }
      return n;
    } catch (IOException e) {
      return 0;
    }
  }

  private int jobParallelism() {
    try {
      FlinkRest rest = lake.flink();
      FlinkRest.Job job = rest.job();
      return "RUNNING".equals(job.state()) ? rest.parallelism(job.id()) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private int queryStatus(String sql) {
    String url =
        lake.lake.queryUrl()
            + "/query?limit=10&sql="
            + URLEncoder.encode(sql, StandardCharsets.UTF_8);
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String summary(List<Integer> statuses) {
    StringBuilder s = new StringBuilder();
    Integer last = null;
    int run = 0;
    for (Integer c : statuses) {
      if (c.equals(last)) {
        run++;
        continue;
      }
      if (last != null) {
        s.append(last).append('x').append(run).append(' ');
      }
      last = c;
      run = 1;
    }
    if (last != null) {
      s.append(last).append('x').append(run);
    }
    return s.toString().trim();
  }

  /**
   * Polls a condition until it holds or the time is up.
   *
   * @return whether it held in time
   */
  static boolean poll(Duration atMost, Duration every, Callable<Boolean> condition) {
    try {
      await().atMost(atMost).pollInterval(every).pollDelay(Duration.ZERO).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** Time left until a {@link System#nanoTime()} deadline, at least a millisecond. */
  static Duration left(long deadlineNanos) {
    return Duration.ofNanos(
        Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime()));
  }
}
