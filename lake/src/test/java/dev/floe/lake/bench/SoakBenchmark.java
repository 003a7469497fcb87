package dev.floe.lake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.StackSettings;
import dev.floe.infra.process.Processes;
import dev.floe.lake.Lake;
import dev.floe.lake.LakeClient;
import dev.floe.lake.LakeSettings;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Soak run of the whole lake, started as {@code ./floe up} starts it (generator off, free ports): a
 * steady stream of {@code soak.rate} events/s POSTed in batches of {@code soak.batch} to the
 * producer replica(s) for {@code soak.minutes} minutes, with one line of figures per minute and a
 * summary. Prints figures; it is not a test and asserts nothing.
 *
 * <p>Run: {@code ./mvnw -B -pl lake -Psoak verify -Dsoak.rate=5000 -Dsoak.minutes=30} (further
 * system properties: {@code soak.batch}, default 100 events per POST; {@code soak.producers},
 * default 1 replica; {@code soak.threads}, sending threads, default enough for 250 ms per POST;
 * {@code soak.drain.seconds}, default 600, how long the exactness check waits for the job).
 *
 * <p>Sending follows a schedule: batch k is due at {@code k * batch / rate} seconds after the
 * start, whatever happened to the batches before it; a batch that does not get 202 is retried (same
 * events) until it does. One event per batch is a probe; its freshness is the time from its batch's
 * 202 to the first {@code GET /query} answer that contains its row. One query after each commit
 * (the table's metadata location in the catalog database, read every 50 ms, has changed; at most
 * every 250 ms, and every 2 s regardless while probes are outstanding) looks for all outstanding
 * probes at once (by type and an {@code occurred_at} lower bound, which prunes the table's files,
 * instead of an {@code IN} list that would outgrow a URL).
 *
 * <p>Each minute m = 1..T prints one line:
 *
 * <pre>
 * FLOE-SOAK minute=m rate=.. fresh_p50_ms=.. fresh_p99_ms=.. ckpt_p99_ms=.. ckpt_mb=.. job_heap_mb=.. lag=.. failed_ckpts=..
 * </pre>
 *
 * <ul>
 *   <li>{@code rate}: events accepted (202) in that minute per second;
 *   <li>{@code fresh_*}: over the probes whose batch was accepted in that minute; a probe not seen
 *       within 60 s counts as 60000 ms (the line waits for that minute's probes up to then);
 *   <li>{@code ckpt_p99_ms}: p99 of end_to_end_duration of the checkpoints completed in that minute
 *       (Flink REST, polled every 2 s so that the short history misses none); -1 if none;
 *   <li>{@code ckpt_mb}, {@code job_heap_mb}, {@code lag}, {@code failed_ckpts}: sampled at the end
 *       of the minute: full state size of the latest completed checkpoint, heap used by the Flink
 *       job's JVM after a full GC (the total of {@code jcmd <pid> GC.class_histogram}), records of
 *       events.raw not committed by the job's group, failed checkpoints in that minute; -1 when a
 *       figure cannot be read (the reason goes to stderr).
 * </ul>
 *
 * <p>{@code FLOE-SOAK-NOTE} lines say when the client fell behind its schedule, retried batches, or
 * probes stayed invisible. At the end: {@code FLOE-SOAK-SUMMARY} ({@code heap_ratio_last_to_min5} =
 * heap of the last minute / heap of minute 5, -1 for runs shorter than 5 minutes), then, after the
 * lag reached 0 (or the drain deadline passed) and the table caught up, {@code FLOE-SOAK-EXACT
 * acknowledged=.. in_lake=.. distinct=..}. Everything printed also goes to {@code
 * target/soak/<run>/soak.log}, the result lines to {@code target/soak/<run>/soak.txt}, the lake's
 * data and component logs to {@code target/soak/<run>/data}.
 */
public final class SoakBenchmark {

  static final String TYPE = "soak";
  static final String PROBE_TYPE = "soak_probe";
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long PROBE_TIMEOUT_MS = 60_000;
  private static final long PROBE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MS);
  private static final long PROBE_POLL_MS = 250;
  private static final long COMMIT_POLL_MS = 50;
  private static final long PROBE_FALLBACK_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long CHECKPOINT_POLL_MS = 2_000;
  private static final Duration CHECKPOINT_POLL = Duration.ofMillis(CHECKPOINT_POLL_MS);
  private static final Duration PROBE_POLL = Duration.ofMillis(PROBE_POLL_MS);
  private static final long RETRY_BACKOFF_MS = 200;
  private static final long LATE_NOTE_MS = 1_000;
  private static final int MAX_FAILURE_LOGS = 20;
  private static final DateTimeFormatter TRINO_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Lake lake;
  private final Path dataDir;
  private final int rate;
  private final int minutes;
  private final int batchSize;
  private final int threads;
  private final int drainSeconds;
  private final LakeClient client;
  private final HttpClient http;
  private final List<String> producers;
  private final List<String> results = Collections.synchronizedList(new ArrayList<>());

  private final long totalBatches;
  private final double periodNanos;
  private long sendStart;
  private long sendStartEpochMs;
  private volatile boolean stopSending;
  private volatile RuntimeException fatal;
  private final AtomicLong nextBatch = new AtomicLong();

  // per minute, index 1..minutes
  private final AtomicLongArray accepted;
  private final AtomicLongArray retried;
  private final AtomicLongArray lateBatches;
  private final AtomicLongArray maxLateMs;
  private final List<List<Probe>> probesByMinute = new ArrayList<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failureLogs = new AtomicLong();
  private final Map<String, Probe> outstanding = new ConcurrentHashMap<>();
  private final AtomicLong probeQueries = new AtomicLong();
  private final AtomicLong probeQueryMillis = new AtomicLong();
  // the table's metadata location as the catalog last said, and as of the last probe query
  private volatile String committedMetadata;
  private String probedMetadata;
  private long lastProbeQuery;
  private Connection catalog;
  private final Object probeLock = new Object();

  private final JobFigures job;

  /** A probe event: when its batch was accepted, and when a query first returned it. */
  private static final class Probe {
    final String id;
    final Instant occurredAt;
    final long ackNanos;
    volatile long freshnessMs = -1;

    Probe(String id, Instant occurredAt, long ackNanos) {
      this.id = id;
      this.occurredAt = occurredAt;
      this.ackNanos = ackNanos;
    }

    boolean settled(long now) {
      return freshnessMs >= 0 || now - ackNanos >= PROBE_TIMEOUT_NANOS;
    }

    long freshnessOrTimeout() {
      return freshnessMs >= 0 ? freshnessMs : PROBE_TIMEOUT_MS;
    }
  }

  private SoakBenchmark(
      Lake lake,
      Path dataDir,
      int rate,
      int minutes,
      int batchSize,
      int threads,
      int drainSeconds) {
    this.lake = lake;
    this.dataDir = dataDir;
    this.rate = rate;
    this.minutes = minutes;
    this.batchSize = batchSize;
    this.threads = threads;
    this.drainSeconds = drainSeconds;
    this.client = new LakeClient(lake.queryUrl());
    this.job = new JobFigures(lake, dataDir);
    this.producers = lake.producerUrls();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    this.totalBatches = Math.max(1, (long) rate * minutes * 60 / batchSize);
    this.periodNanos = 1e9 * batchSize / rate;
    this.accepted = new AtomicLongArray(minutes + 1);
    this.retried = new AtomicLongArray(minutes + 1);
    this.lateBatches = new AtomicLongArray(minutes + 1);
    this.maxLateMs = new AtomicLongArray(minutes + 1);
    for (int m = 0; m <= minutes; m++) {
      probesByMinute.add(Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /**
   * Runs the soak.
   *
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
    Path home = Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();
    int rate = positive("soak.rate", 5000);
    int minutes = positive("soak.minutes", 30);
    int batchSize = positive("soak.batch", 100);
    int producerCount = positive("soak.producers", 1);
    // enough sending threads for 250 ms per POST at the scheduled batch rate
    int threads =
        positive(
            "soak.threads",
            (int) Math.max(4, Math.min(64, Math.ceil(rate / (double) batchSize * 0.25))));
    int drainSeconds = positive("soak.drain.seconds", 600);

    String runName =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC)
                .format(Instant.now())
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    Path runDir = Path.of("target", "soak", runName).toAbsolutePath();
    Path dataDir = runDir.resolve("data");
    Files.createDirectories(dataDir);
    try (OutputStream log = new FileOutputStream(runDir.resolve("soak.log").toFile(), true)) {
      System.setOut(new PrintStream(new Tee(System.out, log), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(System.err, log), true, StandardCharsets.UTF_8));
      System.out.printf(
          Locale.ROOT,
          "soak: %d events/s in batches of %d, %d min, %d producer replica(s), %d sending"
              + " threads%nsoak: this output also in %s; the lake's data and component logs in"
              + " %s%n",
          rate,
          batchSize,
          minutes,
          producerCount,
          threads,
          runDir.resolve("soak.log"),
          dataDir.resolve("logs"));
      LakeSettings settings =
          LakeSettings.builder(StackSettings.forTests(dataDir))
              .home(home)
              .producerPorts(freePorts(producerCount))
              .queryPort(Processes.freePort())
              .flinkRestPort(Processes.freePort())
              .generatorRate(0)
              .build();
      SoakBenchmark soak;
      try (Lake lake = Lake.start(settings, System.out::println)) {
        soak = new SoakBenchmark(lake, dataDir, rate, minutes, batchSize, threads, drainSeconds);
        soak.run();
      }
      Files.write(runDir.resolve("soak.txt"), soak.results);
      System.out.println("soak: results in " + runDir.resolve("soak.txt"));
    }
  }

  private static int positive(String key, int defaultValue) {
    int value = Integer.getInteger(key, defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
    return value;
  }

  private static List<Integer> freePorts(int count) {
    Set<Integer> ports = new LinkedHashSet<>();
    while (ports.size() < count) {
      ports.add(Processes.freePort());
    }
    return List.copyOf(ports);
  }

  private void run() throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3, daemon("soak-poller"));
    ExecutorService senders = Executors.newFixedThreadPool(threads, daemon("soak-sender"));
    List<CompletableFuture<JobFigures.Sample>> samples = new ArrayList<>();
    sendStart = System.nanoTime();
    sendStartEpochMs = System.currentTimeMillis();
    try {
      for (int i = 0; i < threads; i++) {
        senders.execute(this::sendLoop);
      }
      scheduler.scheduleWithFixedDelay(
          guarded("probe poller", this::pollProbes),
          PROBE_POLL_MS,
          PROBE_POLL_MS,
          TimeUnit.MILLISECONDS);
      scheduler.scheduleWithFixedDelay(
          guarded("commit watcher", this::watchCommits),
          COMMIT_POLL_MS,
          COMMIT_POLL_MS,
          TimeUnit.MILLISECONDS);
      scheduler.scheduleWithFixedDelay(
          guarded("checkpoint poller", job::pollCheckpoints),
          0,
          CHECKPOINT_POLL_MS,
          TimeUnit.MILLISECONDS);
      ExecutorService sampler = Executors.newSingleThreadExecutor(daemon("soak-sampler"));
      samples.add(null);
      for (int m = 1; m <= minutes; m++) {
        long due = sendStart + m * MINUTE_NANOS;
        samples.add(
            CompletableFuture.supplyAsync(
                () -> {
                  parkUntil(due);
                  return job.sample();
                },
                sampler));
      }
      sampler.shutdown();

      List<long[]> perMinute = new ArrayList<>(); // rate, p50, p99, ckptP99
      List<JobFigures.Sample> sampled = new ArrayList<>();
      for (int m = 1; m <= minutes; m++) {
        JobFigures.Sample s = samples.get(m).get();
        if (fatal != null) {
          throw fatal;
        }
        if (m == minutes) {
          // the last minute also owns batches accepted after its end (retries, in-flight POSTs)
          senders.shutdown();
          if (!senders.awaitTermination(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            stopSending = true;
            System.err.println("soak: stopped retrying batches still not accepted");
            senders.awaitTermination(1, TimeUnit.MINUTES);
          }
        }
        List<Probe> probes = awaitProbes(m);
        List<Long> fresh = new ArrayList<>();
        int invisible = 0;
        for (Probe p : probes) {
          fresh.add(p.freshnessOrTimeout());
          invisible += p.freshnessMs < 0 ? 1 : 0;
        }
        Collections.sort(fresh);
        long ckptP99 =
            percentile(job.checkpointDurations(sendStartEpochMs + (m - 1) * 60_000L), 99);
        long minuteRate = Math.round(accepted.get(m) / 60.0);
        note(m, invisible, probes.size());
        if (m == minutes && nextBatch.get() < totalBatches) {
          System.out.println(
              "FLOE-SOAK-NOTE minute="
                  + m
                  + " client behind schedule: "
                  + (totalBatches - nextBatch.get())
                  + " scheduled batches not sent by the end of the run");
        }
        String line =
            String.format(
                Locale.ROOT,
                "FLOE-SOAK minute=%d rate=%d fresh_p50_ms=%d fresh_p99_ms=%d ckpt_p99_ms=%d"
                    + " ckpt_mb=%.1f job_heap_mb=%.1f lag=%d failed_ckpts=%d",
                m,
                minuteRate,
                percentile(fresh, 50),
                percentile(fresh, 99),
                ckptP99,
                s.ckptMb(),
                s.heapMb(),
                s.lag(),
                failedInMinute(sampled, s));
        result(line);
        perMinute.add(
            new long[] {minuteRate, percentile(fresh, 50), percentile(fresh, 99), ckptP99});
        sampled.add(s);
      }
      scheduler.shutdownNow();
      summary(perMinute, sampled);
      exactness();
    } finally {
      stopSending = true;
      senders.shutdownNow();
      scheduler.shutdownNow();
      job.close();
    }
  }

  // ---------------------------------------------------------------- sending

  private void sendLoop() {
    while (!stopSending) {
      if (System.nanoTime() - sendStart >= minutes * MINUTE_NANOS) {
        return; // the schedule is over: batches not started by now are not sent
      }
      long k = nextBatch.getAndIncrement();
      if (k >= totalBatches) {
        return;
      }
      long due = sendStart + Math.round(k * periodNanos);
      parkUntil(due);
      long lateMs = (System.nanoTime() - due) / 1_000_000;
      int dueMinute = minuteOf(due);
      maxLateMs.accumulateAndGet(dueMinute, lateMs, Math::max);
      if (lateMs > LATE_NOTE_MS) {
        lateBatches.incrementAndGet(dueMinute);
      }
      send(k);
    }
  }

  private void send(long k) {
    Instant occurredAt = Instant.now();
    String now = occurredAt.toString();
    String probeId = UUID.randomUUID().toString();
    ArrayNode body = LakeClient.JSON.createArrayNode();
    for (int i = 0; i < batchSize; i++) {
      body.add(
          LakeClient.event(
              i == 0 ? probeId : UUID.randomUUID().toString(),
              i == 0 ? PROBE_TYPE : TYPE,
              "user-" + (k * batchSize + i) % 1000,
              now,
              Map.of("b", k)));
    }
    String json = body.toString();
    for (int attempt = 0; !stopSending; attempt++) {
      String producer = producers.get((int) ((k + attempt) % producers.size()));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(producer + "/events"))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build();
      String failure;
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202) {
          accepted(occurredAt, probeId, System.nanoTime());
          return;
        }
        if (r.statusCode() == 400) {
          // the batch itself is wrong: no retry will ever be accepted
          fatal =
              new IllegalStateException(
                  "POST /events answered 400 (the soak's batch is invalid): " + r.body());
          stopSending = true;
          return;
        }
        failure = "HTTP " + r.statusCode() + " " + abbreviate(r.body());
      } catch (IOException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      retried.incrementAndGet(minuteOf(System.nanoTime()));
      if (failureLogs.incrementAndGet() <= MAX_FAILURE_LOGS) {
        System.err.println(
            "soak: batch " + k + " to " + producer + " not accepted (" + failure + "), retrying");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_BACKOFF_MS));
    }
  }

  private void accepted(Instant occurredAt, String probeId, long ackNanos) {
    int minute = minuteOf(ackNanos);
    accepted.addAndGet(minute, batchSize);
    acknowledged.addAndGet(batchSize);
    Probe probe = new Probe(probeId, occurredAt, ackNanos);
    probesByMinute.get(minute).add(probe);
    outstanding.put(probeId, probe);
  }

  // ---------------------------------------------------------------- freshness

  /**
   * Reads the table's current metadata location from the catalog database (a cheap primary-key
   * read), so the probe query runs only after a commit: a row cannot become visible in between.
   */
  private void watchCommits() throws SQLException {
    if (catalog == null) {
      EmbeddedStack stack = lake.stack();
      catalog =
          DriverManager.getConnection(
              stack.catalogJdbcUrl(), stack.catalogUser(), stack.catalogPassword());
    }
    try (PreparedStatement ps =
        catalog.prepareStatement(
            "SELECT metadata_location FROM iceberg_tables"
                + " WHERE table_namespace = ? AND table_name = ?")) {
      ps.setString(1, lake.stack().catalogNamespace());
      ps.setString(2, "events");
      try (ResultSet rs = ps.executeQuery()) {
        String location = rs.next() ? rs.getString(1) : null;
        if (location != null && !location.equals(committedMetadata)) {
          committedMetadata = location;
          pollProbes();
        }
      }
    } catch (SQLException e) {
      catalog.close();
      catalog = null; // reconnect next time
      throw e;
    }
  }

  /**
   * One query for all outstanding probes: rows of the probe type since the oldest of them. It runs
   * when the catalog shows a new commit since the last query (or at least every 2 s while probes
   * are outstanding, in case the catalog read misses one), never more often than every 250 ms.
   */
  private void pollProbes() {
    synchronized (probeLock) {
      pollProbesLocked();
    }
  }

  private void pollProbesLocked() {
    long now = System.nanoTime();
    String metadata = committedMetadata;
    if (now - lastProbeQuery < TimeUnit.MILLISECONDS.toNanos(PROBE_POLL_MS)
        || (metadata != null
            && metadata.equals(probedMetadata)
            && now - lastProbeQuery < PROBE_FALLBACK_NANOS)) {
      return;
    }
    Instant oldest = null;
    for (Probe p : outstanding.values()) {
      if (now - p.ackNanos >= PROBE_TIMEOUT_NANOS) {
        outstanding.remove(p.id); // counts as PROBE_TIMEOUT_MS
      } else if (oldest == null || p.occurredAt.isBefore(oldest)) {
        oldest = p.occurredAt;
      }
    }
    if (oldest == null) {
      return;
    }
    String sql =
        "SELECT event_id FROM events WHERE type = '"
            + PROBE_TYPE
            + "' AND occurred_at >= TIMESTAMP '"
            + TRINO_TIMESTAMP.format(oldest.minusSeconds(1))
            + " UTC' ORDER BY occurred_at";
    long q0 = System.nanoTime();
    lastProbeQuery = q0;
    probedMetadata = metadata;
    LakeClient.Answer a = client.query(sql, 10_000);
    long returned = System.nanoTime();
    probeQueries.incrementAndGet();
    probeQueryMillis.addAndGet((returned - q0) / 1_000_000);
    if (a.status() != 200) {
      if (failureLogs.incrementAndGet() <= MAX_FAILURE_LOGS) {
        System.err.println(
            "soak: probe query answered " + a.status() + ": " + abbreviate(a.body()));
      }
      return;
    }
    for (JsonNode row : a.json().path("rows")) {
      Probe p = outstanding.remove(row.path(0).asText());
      if (p != null) {
        p.freshnessMs = Math.max(0, (returned - p.ackNanos) / 1_000_000);
      }
    }
  }

  /** The probes of a minute once each is seen or 60 s old (at most 60 s after the minute). */
  private List<Probe> awaitProbes(int minute) {
    List<Probe> probes;
    synchronized (probesByMinute.get(minute)) {
      probes = List.copyOf(probesByMinute.get(minute));
    }
    // a probe settles once seen or PROBE_TIMEOUT_MS old: the minute's probes by then at the latest
    long deadline = System.nanoTime() + PROBE_TIMEOUT_NANOS + MINUTE_NANOS;
    if (!Polling.until(
        deadline, PROBE_POLL, () -> probes.stream().allMatch(p -> p.settled(System.nanoTime())))) {
      throw new IllegalStateException("the probes of minute " + minute + " did not settle");
    }
    return probes;
  }

  // ---------------------------------------------------------------- job figures

  // ---------------------------------------------------------------- reporting

  private void note(int m, int invisible, int probes) {
    List<String> notes = new ArrayList<>();
    if (lateBatches.get(m) > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "client behind schedule: %d batches sent more than %d ms late, up to %d ms (raise"
                  + " -Dsoak.threads, currently %d, or lower the rate)",
              lateBatches.get(m),
              LATE_NOTE_MS,
              maxLateMs.get(m),
              threads));
    }
    if (retried.get(m) > 0) {
      notes.add(retried.get(m) + " POSTs not accepted and retried");
    }
    if (invisible > 0) {
      notes.add(
          invisible
              + " of "
              + probes
              + " probes not returned by GET /query within 60 s (counted as 60000 ms)");
    }
    if (!notes.isEmpty()) {
      System.out.println("FLOE-SOAK-NOTE minute=" + m + " " + String.join("; ", notes));
    }
  }

  /**
   * Checkpoints that failed during the minute of {@code s}, the next sample after {@code sampled}
   * (the REST count is cumulative).
   */
  private static long failedInMinute(List<JobFigures.Sample> sampled, JobFigures.Sample s) {
    if (s.failedCkpts() < 0) {
      return -1;
    }
    long before =
        sampled.isEmpty() ? 0 : Math.max(0, sampled.get(sampled.size() - 1).failedCkpts());
    return s.failedCkpts() - before;
  }

  private void summary(List<long[]> perMinute, List<JobFigures.Sample> sampled) {
    double avgRate = perMinute.stream().mapToLong(r -> r[0]).average().orElse(0);
    long p50Max = perMinute.stream().mapToLong(r -> r[1]).max().orElse(-1);
    long p99Max = perMinute.stream().mapToLong(r -> r[2]).max().orElse(-1);
    long ckptMax = perMinute.stream().mapToLong(r -> r[3]).max().orElse(-1);
    // failures after the first minute (start-up attempts before every task runs are declined)
    long failed =
        sampled.size() < 2
            ? 0
            : sampled.get(sampled.size() - 1).failedCkpts() - sampled.get(0).failedCkpts();
    double heapLast = sampled.get(sampled.size() - 1).heapMb();
    // minute 5: past the start-up transient; a shorter run has no baseline
    double heapBase = sampled.size() >= 5 ? sampled.get(4).heapMb() : -1;
    String ratio =
        heapLast > 0 && heapBase > 0
            ? String.format(Locale.ROOT, "%.2f", heapLast / heapBase)
            : "-1";
    long queries = probeQueries.get();
    System.out.printf(
        Locale.ROOT,
        "soak: %d probe queries, %d ms each on average; %d events acknowledged%n",
        queries,
        queries == 0 ? 0 : probeQueryMillis.get() / queries,
        acknowledged.get());
    result(
        String.format(
            Locale.ROOT,
            "FLOE-SOAK-SUMMARY minutes=%d rate=%.0f fresh_p50_ms_max=%d fresh_p99_ms_max=%d"
                + " ckpt_p99_ms_max=%d failed_ckpts=%d heap_ratio_last_to_min5=%s",
            minutes,
            avgRate,
            p50Max,
            p99Max,
            ckptMax,
            failed,
            ratio));
  }

  /**
   * Waits (until the drain deadline) for the lag to reach 0 and the table to hold every
   * acknowledged event, then counts.
   */
  private void exactness() {
    long ack = acknowledged.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
    System.out.println(
        "soak: sending done; waiting up to " + drainSeconds + " s for the job to drain");
    if (!Polling.until(deadline, CHECKPOINT_POLL, () -> job.lag() == 0)) {
      System.out.println("soak: lag still " + job.lag() + " at the drain deadline");
    }
    // the Kafka offsets and the Iceberg commit of a checkpoint are committed separately
    Polling.until(deadline, CHECKPOINT_POLL, () -> count("SELECT count(*) FROM events") >= ack);
    long inLake = count("SELECT count(*) FROM events");
    // by the id's first hex digit: 16 small aggregations instead of one over every id, which
    // exceeds the memory of the test-sized Trino (1 GB) at 9M ids
    long distinct = 0;
    for (char digit : "0123456789abcdef".toCharArray()) {
      long part =
          count(
              "SELECT count(DISTINCT event_id) FROM events WHERE substr(event_id, 1, 1) = '"
                  + digit
                  + "'");
      if (part < 0) {
        distinct = -1;
        break;
      }
      distinct += part;
    }
    result(
        String.format(
            Locale.ROOT,
            "FLOE-SOAK-EXACT acknowledged=%d in_lake=%d distinct=%d",
            ack,
            inLake,
            distinct));
    if (inLake != ack || distinct != ack) {
      System.out.println(
          "soak: NOT EXACT: the table does not hold each acknowledged event exactly once");
    }
  }

  private long count(String sql) {
    LakeClient.Answer a = client.query(sql, 1);
    if (a.status() != 200) {
      System.err.println("soak: " + sql + " answered " + a.status() + ": " + abbreviate(a.body()));
      return -1;
    }
    return a.json().path("rows").path(0).path(0).asLong(-1);
  }

  private void result(String line) {
    results.add(line);
    System.out.println(line);
  }

  // ---------------------------------------------------------------- helpers

  private int minuteOf(long nanos) {
    long m = (nanos - sendStart) / MINUTE_NANOS + 1;
    return (int) Math.max(1, Math.min(minutes, m));
  }

  private static void parkUntil(long due) {
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  /** Daemon threads: a run that fails must not be held open by a parked helper. */
  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private interface Task {
    void run() throws Exception;
  }

  /** A periodic task that survives its failures (an exception would cancel its schedule). */
  private static Runnable guarded(String what, Task task) {
    return () -> {
      try {
        task.run();
      } catch (Exception e) {
        System.err.println("soak: " + what + ": " + e);
        interrupted(e);
      }
    };
  }

  private static void interrupted(Throwable e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
  }

  static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ");
    return one.length() <= 300 ? one : one.substring(0, 300) + "...";
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Writes everything to the terminal and to the run's log file. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      synchronized (second) {
        first.write(b);
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (second) {
        first.write(b, off, len);
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (second) {
        first.flush();
        second.flush();
      }
    }
  }
}
