package dev.floe.producer.bench;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import dev.floe.producer.it.PackagedService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * POST /events throughput (batches of 100) against the packaged service versus the raw Kafka
 * producer, on the same embedded broker in the same run. Prints events/s and the ratio.
 *
 * <pre>
 * ./mvnw -B -pl producer-service package -DskipTests exec:exec@bench
 *   [-Dbench.seconds=20] [-Dbench.connections=8] [-Dbench.batch=100]
 * </pre>
 *
 * <p>Raw producer figures, both with the service's producer settings (acks=all, idempotent,
 * linger.ms=5, batch.size=128 KiB) and a value of the same size as the service writes: "pipelined"
 * sends as fast as the client takes records (the producer's ceiling); "batch-and-wait" has the HTTP
 * path's shape (each of the connections sends 100 records and waits for their acks).
 */
public final class IngestBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 8);
  private static final int BATCH = Integer.getInteger("bench.batch", 100);

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    EmbeddedStack stack = SharedStack.get(Service.KAFKA);
    String topic = "bench.events-" + UUID.randomUUID().toString().substring(0, 8);
    stack.createTopic(topic, 3);
    String bootstrap = stack.kafkaBootstrapServers();
    System.out.printf(
        "broker %s, topic %s, %d s per phase, %d connections, batches of %d%n",
        bootstrap, topic, SECONDS, CONNECTIONS, BATCH);

    double http;
    try (PackagedService service =
        PackagedService.start(
                Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    bootstrap,
                    "FLOE_PRODUCER_TOPIC",
                    topic,
                    "FLOE_PRODUCER_REPLICA_ID",
                    "bench",
                    "QUARKUS_LOG_LEVEL",
                    "WARN"))
            .awaitReady(Duration.ofSeconds(60))) {
      runHttp(service.port, 15); // warm-up: JIT, connections, producer metadata
      http = runHttp(service.port, SECONDS);
    }
    byte[] value = sampleValue();
    double pipelined = runRawPipelined(bootstrap, topic, value, SECONDS);
    double batchAndWait = runRawBatchAndWait(bootstrap, topic, value, SECONDS);

    System.out.println();
    System.out.printf(
        "HTTP POST /events (batch %d, %d conn): %,12.0f events/s%n", BATCH, CONNECTIONS, http);
    System.out.printf("raw KafkaProducer, pipelined:            %,12.0f events/s%n", pipelined);
    System.out.printf("raw KafkaProducer, batch-and-wait:       %,12.0f events/s%n", batchAndWait);
    System.out.printf("ratio HTTP / raw pipelined:      %.2f (target >= 0.5)%n", http / pipelined);
    System.out.printf("ratio HTTP / raw batch-and-wait: %.2f%n", http / batchAndWait);
    stack.close();
    System.exit(0);
  }

  private static double runHttp(int port, int seconds) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(CONNECTIONS))
            .build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/events");
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      bodies.add(batchBody(i));
    }
    AtomicLong events = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      int offset = c;
      workers.add(
          pool.submit(
              () -> {
                int i = offset;
                while (System.nanoTime() < end) {
                  HttpRequest request =
                      HttpRequest.newBuilder(uri)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i++ % 64)))
                          .build();
                  try {
                    HttpResponse<Void> r =
                        client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 202) {
                      events.addAndGet(BATCH);
                    } else {
                      errors.incrementAndGet();
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    double took = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (errors.get() > 0) {
      System.out.printf("  (%d requests not answered 202)%n", errors.get());
    }
    return events.get() / took;
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static double runRawPipelined(String bootstrap, String topic, byte[] value, int seconds)
      throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      Semaphore window = new Semaphore(50_000); // bound memory, not throughput
      AtomicLong acked = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      long i = 0;
      while (System.nanoTime() < end) {
        window.acquire();
        producer.send(
            new ProducerRecord<>(topic, "user-" + (i++ % 1000), value),
            (m, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              }
              window.release();
            });
      }
      producer.flush();
      return acked.get() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double runRawBatchAndWait(
      String bootstrap, String topic, byte[] value, int seconds) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      AtomicLong acked = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        workers.add(
            pool.submit(
                () -> {
                  long i = 0;
                  while (System.nanoTime() < end) {
                    CountDownLatch done = new CountDownLatch(BATCH);
                    for (int k = 0; k < BATCH; k++) {
                      producer.send(
                          new ProducerRecord<>(topic, "user-" + (i++ % 1000), value),
                          (m, e) -> done.countDown());
                    }
                    done.await();
                    acked.addAndGet(BATCH);
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      pool.shutdown();
      return acked.get() / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** A record value shaped like the service's output for a page_view with four properties. */
  private static byte[] sampleValue() {
    return ("{\"eventId\":\""
            + UUID.randomUUID()
            + "\",\"type\":\"page_view\",\"userId\":\"user-42\","
            + "\"occurredAt\":\"2026-03-01T10:00:00Z\",\"properties\":{\"page\":\"/product/p-17\","
            + "\"referrer\":\"search\",\"device\":\"mobile\",\"duration_ms\":5210},"
            + "\"source\":\"bench\",\"producedAt\":\"2026-03-01T10:00:00.123Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] batchBody(int seed) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < BATCH; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"type\":\"page_view\",\"userId\":\"user-")
          .append((seed * BATCH + i) % 1000)
          .append("\",\"occurredAt\":\"2026-03-01T10:00:00Z\",\"properties\":{")
          .append("\"page\":\"/product/p-17\",\"referrer\":\"search\",\"device\":\"mobile\",")
          .append("\"duration_ms\":5210}}");
    }
    return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }
}
