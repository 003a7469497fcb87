package dev.floe.lake.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.floe.lake.LakeClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the soak's events: {@code soak.rate} events/s POSTed in batches of {@code soak.batch} to
 * the producer replicas in turn, on a schedule. Batch k is due at {@code k * batch / rate} seconds
 * after the start, whatever happened to the batches before it, so a slow answer delays no later
 * batch as long as a sending thread is free. A batch that does not get 202 is retried (same events,
 * next replica) until it does; a 400 stops the run, since no retry of an invalid batch is ever
 * accepted. The first event of each batch is the batch's probe ({@link FreshnessProbes}).
 *
 * <p>Thread-safe: {@code soak.threads} sending threads share the schedule; the counters are read
 * per minute by the run.
 */
final class SoakSender implements AutoCloseable {

  /** The type of the events that are not probes. */
  static final String TYPE = "soak";

  /** A batch sent later than this after its due time counts as late in its minute's note. */
  static final long LATE_NOTE_MS = 1_000;

  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  /** How long batches still retrying at the end of the run get to be accepted. */
  private static final Duration FINISH_WAIT = Duration.ofSeconds(60);

  /** What the sender did in one minute. */
  record Minute(long acceptedEvents, long retriedPosts, long lateBatches, long maxLateMs) {}

  /** Told of each accepted batch. */
  interface Acceptance {
    /**
     * A batch was accepted.
     *
     * @param probeId the event id of the batch's probe
     * @param occurredAt the {@code occurred_at} of the batch's events
     * @param ackNanos the {@link System#nanoTime} of the 202
     */
    void accepted(String probeId, Instant occurredAt, long ackNanos);
  }

  private final int batchSize;
  private final int threads;
  private final List<String> producers;
  private final SoakClock clock;
  private final Acceptance acceptance;
  private final SoakReport report;
  private final HttpClient http;
  private final ExecutorService senders;
  private final long totalBatches;
  private final double periodNanos;

  private final AtomicLong nextBatch = new AtomicLong();
  private volatile boolean stopped;
  private volatile RuntimeException refused;

  // per minute, index 1..minutes
  private final AtomicLongArray accepted;
  private final AtomicLongArray retried;
  private final AtomicLongArray lateBatches;
  private final AtomicLongArray maxLateMs;
  private final AtomicLong acknowledged = new AtomicLong();

  SoakSender(
      SoakSettings settings,
      List<String> producers,
      SoakClock clock,
      Acceptance acceptance,
      SoakReport report) {
    this.batchSize = settings.batchSize();
    this.threads = settings.threads();
    this.producers = List.copyOf(producers);
    this.clock = clock;
    this.acceptance = acceptance;
    this.report = report;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    this.senders = Executors.newFixedThreadPool(threads, SoakThreads.daemon("soak-sender"));
    int minutes = settings.minutes();
    this.totalBatches = Math.max(1, (long) settings.rate() * minutes * 60 / batchSize);
    this.periodNanos = 1e9 * batchSize / settings.rate();
    this.accepted = new AtomicLongArray(minutes + 1);
    this.retried = new AtomicLongArray(minutes + 1);
    this.lateBatches = new AtomicLongArray(minutes + 1);
    this.maxLateMs = new AtomicLongArray(minutes + 1);
  }

  /** Starts the sending threads; batch 0 is due at the clock's start. */
  void start() {
    for (int i = 0; i < threads; i++) {
      senders.execute(this::sendLoop);
    }
  }

  /**
   * Waits for the schedule's last batches to be accepted; batches still not accepted after a minute
   * are given up (said on stderr).
   *
   * @throws InterruptedException when interrupted
   */
  void finish() throws InterruptedException {
    senders.shutdown();
    if (!senders.awaitTermination(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      stopped = true;
      System.err.println("soak: stopped retrying batches still not accepted");
      senders.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Fails the run when a producer refused a batch as invalid.
   *
   * @throws IllegalStateException with the producer's answer
   */
  void throwIfRefused() {
    RuntimeException e = refused;
    if (e != null) {
      throw e;
    }
  }

  /**
   * What was sent in a minute.
   *
   * @param minute 1..T
   * @return the minute's counters
   */
  Minute minute(int minute) {
    return new Minute(
        accepted.get(minute), retried.get(minute), lateBatches.get(minute), maxLateMs.get(minute));
  }

  /**
   * Events accepted (202) so far.
   *
   * @return the count
   */
  long acknowledged() {
    return acknowledged.get();
  }

  /**
   * Scheduled batches no thread started before the end of the run.
   *
   * @return the count, 0 when the client kept up
   */
  long unsentBatches() {
    return Math.max(0, totalBatches - nextBatch.get());
  }

  @Override
  public void close() {
    stopped = true;
    senders.shutdownNow();
  }

  private void sendLoop() {
    while (!stopped) {
      if (clock.isOver(System.nanoTime())) {
        return; // the schedule is over: batches not started by now are not sent
      }
      long k = nextBatch.getAndIncrement();
      if (k >= totalBatches) {
        return;
      }
      long due = clock.startNanos() + Math.round(k * periodNanos);
      SoakClock.sleepUntil(due);
      long lateMs = (System.nanoTime() - due) / 1_000_000;
      int dueMinute = clock.minuteOf(due);
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
              i == 0 ? FreshnessProbes.PROBE_TYPE : TYPE,
              "user-" + (k * batchSize + i) % 1000,
              now,
              Map.of("b", k)));
    }
    String json = body.toString();
    for (int attempt = 0; !stopped; attempt++) {
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
          refused =
              new IllegalStateException(
                  "POST /events answered 400 (the soak's batch is invalid): " + r.body());
          stopped = true;
          return;
        }
        failure = "HTTP " + r.statusCode() + " " + SoakReport.abbreviate(r.body());
      } catch (IOException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      retried.incrementAndGet(clock.minuteOf(System.nanoTime()));
      report.failure(
          "soak: batch " + k + " to " + producer + " not accepted (" + failure + "), retrying");
      pauseBeforeRetry();
    }
  }

  private void accepted(Instant occurredAt, String probeId, long ackNanos) {
    int minute = clock.minuteOf(ackNanos);
    accepted.addAndGet(minute, batchSize);
    acknowledged.addAndGet(batchSize);
    acceptance.accepted(probeId, occurredAt, ackNanos);
  }

  /**
   * Pacing, not polling: a pause before the next attempt, so that a producer that refuses is not
   * hammered by every sending thread at once.
   */
  private static void pauseBeforeRetry() {
    LockSupport.parkNanos(RETRY_PAUSE.toNanos());
  }
}
