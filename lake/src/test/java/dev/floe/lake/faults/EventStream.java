package dev.floe.lake.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A client streaming events of one type through {@code POST /events} at a steady rate, as a user's
 * service would: batch k is due {@code k * batch / rate} seconds after the start; a batch that is
 * not answered 202 is resent unchanged (same event ids) after a short pause, to the next replica,
 * until it is. Every event id answered 202 is kept, so the run can compare them with the lake.
 */
final class EventStream implements AutoCloseable {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final long RETRY_PAUSE_MS = 200;

  private final String type;
  private final List<String> producers;
  private final long totalBatches;
  private final int batch;
  private final double periodNanos;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong(); // 503 answers
  private final AtomicLong refused = new AtomicLong(); // connection refused, reset, timed out
  private final AtomicLong otherStatus = new AtomicLong();
  private final List<Thread> senders = new ArrayList<>();
  private volatile boolean stopped;
  private volatile String badRequest;
  private long startNanos;

  /**
   * A stream of {@code events} events.
   *
   * @param type the events' type, which tells this stream's rows apart
   * @param producers the replicas' base URLs
   * @param events how many events in all
   * @param rate events per second
   * @param batch events per request
   */
  EventStream(String type, List<String> producers, long events, int rate, int batch) {
    this.type = type;
    this.producers = List.copyOf(producers);
    this.batch = batch;
    this.totalBatches = Math.max(1, events / batch);
    this.periodNanos = 1e9 * batch / rate;
  }

  /** Starts sending with enough threads for a 250 ms answer at the scheduled rate. */
  EventStream start() {
    startNanos = System.nanoTime();
    int threads = (int) Math.max(4, Math.min(48, Math.ceil(1e9 / periodNanos * 0.25)));
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::sendLoop, "stream-" + type + "-" + i);
      t.setDaemon(true);
      senders.add(t);
      t.start();
    }
    return this;
  }

  private void sendLoop() {
    while (!stopped) {
      long k = next.getAndIncrement();
      if (k >= totalBatches) {
        return;
      }
      long due = startNanos + (long) (k * periodNanos);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      send(k);
      done.incrementAndGet();
    }
  }

  private void send(long k) {
    List<UUID> ids = new ArrayList<>(batch);
    StringBuilder body = new StringBuilder(batch * 160).append('[');
    String now = Instant.now().toString();
    for (int i = 0; i < batch; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"eventId\":\"")
          .append(id)
          .append("\",\"type\":\"")
          .append(type)
          .append("\",\"userId\":\"user-")
          .append((k * batch + i) % 997)
          .append("\",\"occurredAt\":\"")
          .append(now)
          .append("\",\"properties\":{\"seq\":")
          .append(k * batch + i)
          .append("}}");
    }
    String json = body.append(']').toString();
    for (int attempt = 0; !stopped; attempt++) {
      String target = producers.get((int) ((k + attempt) % producers.size()));
      try {
        HttpResponse<String> r = post(target, json);
        if (r.statusCode() == 202) {
          acknowledged.addAll(ids);
          return;
        }
        if (r.statusCode() == 503) {
          unavailable.incrementAndGet();
        } else if (r.statusCode() == 400) {
          badRequest = r.body();
          return; // the stream's own batch is wrong: no retry will help
        } else {
          otherStatus.incrementAndGet();
        }
      } catch (IOException e) {
        refused.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS));
    }
  }

  /**
   * Sends one extra batch of one event and returns its id once it is acknowledged (a probe of
   * recovery), or null when the deadline passes.
   */
  UUID probe(long deadlineNanos) {
    UUID id = UUID.randomUUID();
    String json =
        "{\"eventId\":\""
            + id
            + "\",\"type\":\""
            + type
            + "\",\"occurredAt\":\""
            + Instant.now()
            + "\",\"properties\":{\"probe\":true}}";
    for (int attempt = 0; System.nanoTime() < deadlineNanos; attempt++) {
      String target = producers.get(attempt % producers.size());
      try {
        HttpResponse<String> r = post(target, json);
        if (r.statusCode() == 202) {
          acknowledged.add(id);
          return id;
        }
      } catch (IOException e) {
        // down: try the next replica
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS));
    }
    return null;
  }

  private HttpResponse<String> post(String target, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(target + "/events"))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Events acknowledged so far. */
  long acknowledgedCount() {
    return acknowledged.size();
  }

  /** The acknowledged event ids. */
  Set<UUID> acknowledged() {
    return acknowledged;
  }

  /**
   * Waits until every batch is acknowledged.
   *
   * @param timeout the deadline
   * @return true if all are
   */
  boolean awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : senders) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return senders.stream().noneMatch(Thread::isAlive) && done.get() >= totalBatches;
  }

  /** Requests answered 503 (Kafka did not acknowledge in time). */
  long unavailableAnswers() {
    return unavailable.get();
  }

  /** Requests that got no answer (connection refused or cut, timed out). */
  long failedConnections() {
    return refused.get();
  }

  /** Other non-202 answers. */
  long otherAnswers() {
    return otherStatus.get();
  }

  /** The body of a 400 answer to one of the stream's own batches, if there was one. */
  String badRequest() {
    return badRequest;
  }

  String type() {
    return type;
  }

  @Override
  public void close() {
    stopped = true;
    senders.forEach(Thread::interrupt);
  }
}
