package dev.floe.lake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.infra.EmbeddedStack;
import dev.floe.lake.LakeClient;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's freshness: one probe event per batch, whose freshness is the time from its batch's 202
 * to the first {@code GET /query} answer that contains its row; a probe not seen within 60 s counts
 * as 60000 ms.
 *
 * <p>One query after each commit looks for all outstanding probes at once, by type and an {@code
 * occurred_at} lower bound (which prunes the table's files, where an {@code IN} list would outgrow
 * a URL). A commit shows as a new metadata location of the table in the catalog database, read
 * every 50 ms; a row cannot become visible between commits, so querying more often would only load
 * Trino. The query runs at most every 250 ms, and every 2 s regardless while probes are
 * outstanding, in case the catalog read misses a commit.
 *
 * <p>Thread-safe: the sending threads add probes, two periodic tasks query, the run reads each
 * minute's probes.
 */
final class FreshnessProbes implements AutoCloseable {

  /** The type of the probe events. */
  static final String PROBE_TYPE = "soak_probe";

  private static final long TIMEOUT_MS = 60_000;
  private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
  private static final Duration QUERY_INTERVAL = Duration.ofMillis(250);
  private static final Duration COMMIT_POLL = Duration.ofMillis(50);
  private static final long FALLBACK_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final DateTimeFormatter TRINO_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * The freshness of the probes whose batch was accepted in one minute.
   *
   * @param p50Ms median freshness, -1 without probes
   * @param p99Ms p99 freshness, -1 without probes
   * @param invisible probes not returned within 60 s
   * @param probes the minute's probes
   */
  record Minute(long p50Ms, long p99Ms, int invisible, int probes) {}

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
      return freshnessMs >= 0 || now - ackNanos >= TIMEOUT_NANOS;
    }

    long freshnessOrTimeout() {
      return freshnessMs >= 0 ? freshnessMs : TIMEOUT_MS;
    }
  }

  private final EmbeddedStack stack;
  private final LakeClient client;
  private final SoakClock clock;
  private final SoakReport report;

  // index 1..minutes
  private final List<List<Probe>> probesByMinute = new ArrayList<>();
  private final Map<String, Probe> outstanding = new ConcurrentHashMap<>();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong queryMillis = new AtomicLong();

  // the table's metadata location as the catalog last said
  private volatile String committedMetadata;

  // guarded by queryLock: the metadata location as of the last query, and when it ran
  private final Object queryLock = new Object();
  private String queriedMetadata;
  private long lastQuery;

  // guarded by this
  private Connection catalog;

  FreshnessProbes(EmbeddedStack stack, LakeClient client, SoakClock clock, SoakReport report) {
    this.stack = stack;
    this.client = client;
    this.clock = clock;
    this.report = report;
    for (int m = 0; m <= clock.minutes(); m++) {
      probesByMinute.add(Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /**
   * Schedules the probe query and the commit watch.
   *
   * @param pollers where they run
   */
  void start(ScheduledExecutorService pollers) {
    pollers.scheduleWithFixedDelay(
        SoakThreads.guarded("probe poller", this::queryProbes),
        QUERY_INTERVAL.toMillis(),
        QUERY_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    pollers.scheduleWithFixedDelay(
        SoakThreads.guarded("commit watcher", this::watchCommits),
        COMMIT_POLL.toMillis(),
        COMMIT_POLL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * A batch was accepted: its probe is outstanding from now on. A {@link SoakSender.Acceptance}.
   *
   * @param probeId the probe's event id
   * @param occurredAt the probe's {@code occurred_at}
   * @param ackNanos the {@link System#nanoTime} of the batch's 202
   */
  void accepted(String probeId, Instant occurredAt, long ackNanos) {
    Probe probe = new Probe(probeId, occurredAt, ackNanos);
    probesByMinute.get(clock.minuteOf(ackNanos)).add(probe);
    outstanding.put(probeId, probe);
  }

  /**
   * The freshness of a minute's probes, once each is seen or 60 s old (at most 60 s after the
   * minute).
   *
   * @param minute 1..T, ended
   * @return the minute's freshness
   * @throws IllegalStateException when the probes do not settle by then
   */
  Minute awaitMinute(int minute) {
    List<Probe> probes;
    synchronized (probesByMinute.get(minute)) {
      probes = List.copyOf(probesByMinute.get(minute));
    }
    // a probe settles once seen or TIMEOUT_MS old: the minute's probes by then at the latest
    long deadline = System.nanoTime() + TIMEOUT_NANOS + SoakClock.MINUTE_NANOS;
    if (!Polling.until(
        deadline,
        QUERY_INTERVAL,
        () -> probes.stream().allMatch(p -> p.settled(System.nanoTime())))) {
      throw new IllegalStateException("the probes of minute " + minute + " did not settle");
    }
    List<Long> fresh = new ArrayList<>();
    int invisible = 0;
    for (Probe p : probes) {
      fresh.add(p.freshnessOrTimeout());
      invisible += p.freshnessMs < 0 ? 1 : 0;
    }
    Collections.sort(fresh);
    return new Minute(
        Percentiles.of(fresh, 50), Percentiles.of(fresh, 99), invisible, probes.size());
  }

  /**
   * Probe queries run so far.
   *
   * @return the count
   */
  long queries() {
    return queries.get();
  }

  /**
   * The average time a probe query took.
   *
   * @return milliseconds, 0 before the first query
   */
  long averageQueryMs() {
    long n = queries.get();
    return n == 0 ? 0 : queryMillis.get() / n;
  }

  @Override
  public synchronized void close() throws SQLException {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }

  /**
   * Reads the table's current metadata location from the catalog database (a cheap primary-key
   * read) and queries the probes when it changed.
   */
  private synchronized void watchCommits() throws SQLException {
    if (catalog == null) {
      catalog =
          DriverManager.getConnection(
              stack.catalogJdbcUrl(), stack.catalogUser(), stack.catalogPassword());
    }
    try (PreparedStatement ps =
        catalog.prepareStatement(
            "SELECT metadata_location FROM iceberg_tables"
                + " WHERE table_namespace = ? AND table_name = ?")) {
      ps.setString(1, stack.catalogNamespace());
      ps.setString(2, "events");
      try (ResultSet rs = ps.executeQuery()) {
        String location = rs.next() ? rs.getString(1) : null;
        if (location != null && !location.equals(committedMetadata)) {
          committedMetadata = location;
          queryProbes();
        }
      }
    } catch (SQLException e) {
      catalog.close();
      catalog = null; // reconnect next time
      throw e;
    }
  }

  /**
   * One query for all outstanding probes: rows of the probe type since the oldest of them, when the
   * catalog shows a commit since the last query (or 2 s passed), at most every 250 ms.
   */
  private void queryProbes() {
    synchronized (queryLock) {
      long now = System.nanoTime();
      String metadata = committedMetadata;
      if (now - lastQuery < QUERY_INTERVAL.toNanos()
          || (metadata != null
              && metadata.equals(queriedMetadata)
              && now - lastQuery < FALLBACK_NANOS)) {
        return;
      }
      Instant oldest = null;
      for (Probe p : outstanding.values()) {
        if (now - p.ackNanos >= TIMEOUT_NANOS) {
          outstanding.remove(p.id); // counts as TIMEOUT_MS
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
      lastQuery = q0;
      queriedMetadata = metadata;
      LakeClient.Answer a = client.query(sql, 10_000);
      long returned = System.nanoTime();
      queries.incrementAndGet();
      queryMillis.addAndGet((returned - q0) / 1_000_000);
      if (a.status() != 200) {
        report.failure(
            "soak: probe query answered " + a.status() + ": " + SoakReport.abbreviate(a.body()));
        return;
      }
      for (JsonNode row : a.json().path("rows")) {
        Probe p = outstanding.remove(row.path(0).asText());
        if (p != null) {
          p.freshnessMs = Math.max(0, (returned - p.ackNanos) / 1_000_000);
        }
      }
    }
  }
}
