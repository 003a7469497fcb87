package dev.floe.producer.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.floe.producer.config.ProducerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Sends records to the events topic and reports, per record, whether Kafka acknowledged it.
 *
 * <p>Headers of every record: {@code event-id}, {@code event-type}, {@code source} (UTF-8) and
 * {@code content-type: application/json}, so consumers can route without parsing the value.
 */
@ApplicationScoped
public class EventPublisher {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);
  private static final byte[] JSON = "application/json".getBytes(StandardCharsets.UTF_8);
  private static final int PENDING = 0;
  private static final int ACKED = 1;
  private static final int FAILED = 2;

  private final Producer<String, byte[]> producer;
  private final ObjectWriter json = new ObjectMapper().writerFor(RawEvent.class);
  private final String topic;
  private final Timer sendLatency;

  public EventPublisher(
      Producer<String, byte[]> producer, ProducerSettings settings, MeterRegistry registry) {
    this.producer = producer;
    this.topic = settings.topic();
    this.sendLatency =
        Timer.builder("floe.producer.kafka.send.latency")
            .description("time from send to Kafka's acknowledgement (acks=all)")
            .register(registry);
  }

  /** Fetches the topic's metadata at start, so the first request does not pay for it. */
  void warmUp(@Observes StartupEvent event) {
    try {
      producer.partitionsFor(topic);
    } catch (RuntimeException e) {
      LOG.warnf("Kafka not reachable at start (%s); requests answer 503 until it is", e.toString());
    }
  }

  /**
   * Sends every event and waits until Kafka acknowledged all of them or {@code timeout} passed.
   * Never blocks much longer than {@code timeout}: sending stops at the deadline (producer {@code
   * max.block.ms} bounds a single send) and unsent events are reported as not acknowledged.
   */
  public PublishResult publishAndWait(List<RawEvent> events, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int n = events.size();
    AtomicIntegerArray state = new AtomicIntegerArray(n);
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      if (System.nanoTime() - deadline >= 0) {
        // past the deadline: leave the rest unsent rather than queue them behind a dead broker
        if (state.compareAndSet(index, PENDING, FAILED)) {
          done.countDown();
        }
        continue;
      }
      send(
          events.get(i),
          (ok, error) -> {
            if (state.compareAndSet(index, PENDING, ok ? ACKED : FAILED)) {
              done.countDown();
            }
          });
    }
    try {
      done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> acked = new ArrayList<>(n);
    List<String> notAcked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (state.get(i) == ACKED ? acked : notAcked).add(events.get(i).eventId());
    }
    return new PublishResult(acked, notAcked);
  }

  /**
   * Sends one event; {@code callback} gets {@code (true, null)} once Kafka acknowledged it, or
   * {@code (false, error)}. Used directly by the generator, which does not wait.
   */
  public void send(RawEvent event, BiConsumer<Boolean, Exception> callback) {
    long start = System.nanoTime();
    try {
      RecordHeaders headers = new RecordHeaders();
      headers.add("event-id", utf8(event.eventId()));
      headers.add("event-type", utf8(event.type()));
      headers.add("source", utf8(event.source()));
      headers.add("content-type", JSON);
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              topic, null, event.kafkaKey(), json.writeValueAsBytes(event), headers);
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              sendLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
              callback.accept(true, null);
            } else {
              callback.accept(false, error);
            }
          });
    } catch (JsonProcessingException | RuntimeException e) {
      // e.g. max.block.ms exceeded while the broker is unreachable
      LOG.debugf("send of %s failed: %s", event.eventId(), e.toString());
      callback.accept(false, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
