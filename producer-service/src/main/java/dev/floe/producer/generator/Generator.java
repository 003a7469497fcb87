package dev.floe.producer.generator;

import dev.floe.producer.config.ProducerSettings;
import dev.floe.producer.ingest.EventPublisher;
import dev.floe.producer.ingest.ReplicaId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emits synthetic events at a steady rate. Each tick sends what is due since the last (re)start,
 * {@code rate * elapsed - emitted}, and a stop or rate change settles the period up to that moment,
 * so R events/s for T seconds give R*T events whatever the tick granularity or jitter. It does not
 * wait for acks; it counts them as they come, and pauses while too many records are unacknowledged
 * (a down broker must not grow the producer buffer without bound).
 */
@ApplicationScoped
public class Generator {
  private final EventPublisher publisher;
  private final EventFactory factory;
  private final String source;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong generated = new AtomicLong();
  private final Counter sentCounter;
  private final Counter failedCounter;

  // read without the lock by state(): a tick blocked in send() must not block GET /generator
  private volatile boolean running;
  private volatile double rate;
  private volatile Instant startedAt;
  private volatile Instant stoppedAt;
  private long baseNanos;
  private long emittedSinceBase;

  public Generator(
      EventPublisher publisher,
      ProducerSettings settings,
      ReplicaId replicaId,
      MeterRegistry registry) {
    this.publisher = publisher;
    this.factory = new EventFactory(new SplittableRandom(), settings.generator().users());
    this.source = replicaId.get();
    this.rate = settings.generator().rate();
    this.sentCounter =
        Counter.builder("floe.producer.generator.events")
            .description("generated events by outcome")
            .tag("outcome", "sent")
            .register(registry);
    this.failedCounter =
        Counter.builder("floe.producer.generator.events")
            .description("generated events by outcome")
            .tag("outcome", "failed")
            .register(registry);
    if (settings.generator().enabled()) {
      update(true, null);
    }
  }

  /** Applies a change; null leaves that part as it is. */
  public synchronized State update(Boolean run, Double newRate) {
    if (running) {
      // settle the running period at the old rate, so a stop or re-rate is exact to the moment
      emitDue();
    }
    if (newRate != null) {
      rate = newRate;
    }
    if (run != null) {
      if (run && !running) {
        startedAt = Instant.now();
        stoppedAt = null;
      } else if (!run && running) {
        stoppedAt = Instant.now();
      }
      running = run;
    }
    rebase();
    return state();
  }

  public State state() {
    long s = sent.get();
    long f = failed.get();
    return new State(
        running, rate, startedAt, stoppedAt, generated.get(), s, f, generated.get() - s - f);
  }

  // Quarkus' scheduler fires at most once a second; the amount per tick follows the elapsed time
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  synchronized void tick() {
    if (running) {
      emitDue();
    }
  }

  /** Sends what is due at the current rate since the last (re)start. */
  private void emitDue() {
    long now = System.nanoTime();
    long due = (long) (rate * (now - baseNanos) / 1e9) - emittedSinceBase;
    if (due <= 0) {
      return;
    }
    long inFlight = generated.get() - sent.get() - failed.get();
    if (inFlight > Math.max(10_000, (long) (rate * 5)) || due > Math.max(1, (long) (rate * 2))) {
      // far behind (stalled broker, long pause): restart the schedule instead of bursting
      rebase();
      return;
    }
    Instant at = Instant.now();
    for (long i = 0; i < due; i++) {
      if (System.nanoTime() - now > 1_000_000_000L) {
        // sends are blocking (no broker metadata yet): give up this round rather than hold the lock
        rebase();
        return;
      }
      generated.incrementAndGet();
      publisher.send(
          factory.next(source, at),
          (ok, error) -> {
            if (ok) {
              sent.incrementAndGet();
              sentCounter.increment();
            } else {
              failed.incrementAndGet();
              failedCounter.increment();
            }
          });
    }
    emittedSinceBase += due;
  }

  private void rebase() {
    baseNanos = System.nanoTime();
    emittedSinceBase = 0;
  }

  /**
   * What {@code GET /generator} shows: the last start and stop, {@code generated} events handed to
   * Kafka, {@code sent} acknowledged, {@code failed} not delivered, {@code inFlight} still waiting
   * for an ack (counts since the service started).
   */
  public record State(
      boolean running,
      double rate,
      Instant startedAt,
      Instant stoppedAt,
      long generated,
      long sent,
      long failed,
      long inFlight) {}
}
