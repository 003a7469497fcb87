package dev.floe.producer.bench;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import dev.floe.producer.it.PackagedService;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   [-Dbench.seconds=20] [-Dbench.connections=32] [-Dbench.batch=100]
 *   [-Dbench.service.java-options="-XX:StartFlightRecording=filename=target/,settings=profile"]
 * </pre>
 *
 * <p>Raw producer figures, both with the service's producer settings (acks=all, idempotent,
 * linger.ms=5, batch.size=128 KiB) and a value of the same size as the service writes: "pipelined"
 * sends as fast as the client takes records (the producer's ceiling); "batch-and-wait" has the HTTP
 * path's shape (each of the connections sends 100 records and waits for their acks).
 */
public final class IngestBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 32);
  private static final int BATCH = Integer.getInteger("bench.batch", 100);
  private static final String SERVICE_JAVA_OPTIONS =
      System.getProperty("bench.service.java-options", "");

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    EmbeddedStack stack = SharedStack.get(Service.KAFKA);
    String topic = "bench.events-" + UUID.randomUUID().toString().substring(0, 8);
    stack.createTopic(topic, 3);
    String bootstrap = stack.kafkaBootstrapServers();
    System.out.printf(
        "broker %s, topic %s, %d s per phase, %d connections, batches of %d%n",
        bootstrap, topic, SECONDS, CONNECTIONS, BATCH);

    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("FLOE_PRODUCER_TOPIC", topic);
    env.put("FLOE_PRODUCER_REPLICA_ID", "bench");
    env.put("QUARKUS_LOG_LEVEL", "WARN");
    if (!SERVICE_JAVA_OPTIONS.isBlank()) {
      // e.g. -XX:StartFlightRecording=filename=target/,settings=profile to profile the service
      env.put("JAVA_TOOL_OPTIONS", SERVICE_JAVA_OPTIONS);
    }
    double http;
    try (PackagedService service = PackagedService.start(env).awaitReady(Duration.ofSeconds(60))) {
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

  /**
   * The HTTP load: each connection is one keep-alive HTTP/1.1 socket sending pre-built requests and
   * reading each response before the next, so the client costs little CPU next to the service it
   * measures (both share the two cores with the broker).
   */
  private static double runHttp(int port, int seconds) throws Exception {
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      byte[] body = batchBody(i);
      byte[] head =
          ("POST /events HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[head.length + body.length];
      System.arraycopy(head, 0, request, 0, head.length);
      System.arraycopy(body, 0, request, head.length, body.length);
      requests.add(request);
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
                try (Socket socket = new Socket("127.0.0.1", port)) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                  int i = offset;
                  while (System.nanoTime() < end) {
                    out.write(requests.get(i++ % 64));
                    out.flush();
                    if (readResponse(in) == 202) {
                      events.addAndGet(BATCH);
                    } else {
                      errors.incrementAndGet();
                    }
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

  /** Reads one HTTP/1.1 response (Content-Length or chunked body) and returns its status code. */
  private static int readResponse(InputStream in) throws IOException {
    String status = readLine(in);
    int code = Integer.parseInt(status.substring(9, 12));
    long length = 0;
    boolean chunked = false;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (!chunked) {
      in.skipNBytes(length);
      return code;
    }
    for (long size = Long.parseLong(readLine(in).trim(), 16);
        size > 0;
        size = Long.parseLong(readLine(in).trim(), 16)) {
      in.skipNBytes(size);
      readLine(in);
    }
    readLine(in);
    return code;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed mid-response");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
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
