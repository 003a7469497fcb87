package dev.floe.lake.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.infra.StackSettings;
import dev.floe.infra.process.Processes;
import dev.floe.lake.Lake;
import dev.floe.lake.LakeClient;
import dev.floe.lake.LakeSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end freshness of the whole lake, started as {@code ./floe up} starts it: events POSTed at
 * a steady rate in batches (as a client would), and for one probe event per batch the time from the
 * batch's 202 to the moment a {@code GET /query} first returns it; plus the time from the start
 * command to the first queryable event. Prints figures; it is not a test and asserts nothing.
 *
 * <p>Run: {@code ./mvnw -B -pl lake -Pbench verify} (system properties {@code bench.rates}, default
 * {@code 1000,5000} events/s; {@code bench.seconds}, default 30; {@code bench.batch}, default 100).
 */
public final class FreshnessBenchmark {

  private FreshnessBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
    Path home = Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();
    int seconds = Integer.getInteger("bench.seconds", 30);
    int batchSize = Integer.getInteger("bench.batch", 100);
    List<Integer> rates =
        java.util.Arrays.stream(System.getProperty("bench.rates", "1000,5000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    Path dataDir = Path.of("target", "bench", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(dataDir);
    LakeSettings settings =
        LakeSettings.builder(StackSettings.forTests(dataDir))
            .home(home)
            .producerPorts(List.of(Processes.freePort()))
            .queryPort(Processes.freePort())
            .flinkRestPort(Processes.freePort())
            .generatorRate(0)
            .build();
    List<String> report = new ArrayList<>();
    long t0 = System.nanoTime();
    try (Lake lake = Lake.start(settings, System.out::println)) {
      double startSeconds = (System.nanoTime() - t0) / 1e9;
      LakeClient client = new LakeClient(lake.queryUrl());
      String producer = lake.producerUrls().get(0);
      String firstId = UUID.randomUUID().toString();
      client.post(
          producer, LakeClient.event(firstId, "bench_first", null, Instant.now().toString(), null));
      String firstSql = "SELECT count(*) FROM events WHERE event_id = '" + firstId + "'";
      while (!client.query(firstSql, 1).body().contains("[[1]]")) {
        // polled back to back: each query takes its own time
      }
      double firstQueryable = (System.nanoTime() - t0) / 1e9;
      report.add(
          String.format(
              Locale.ROOT,
              "start command -> lake up: %.1f s; -> first event queryable via GET /query: %.1f s",
              startSeconds,
              firstQueryable));
      for (int rate : rates) {
        report.add(run(lake, client, rate, seconds, batchSize));
      }
    }
    System.out.println();
    System.out.println("== Floe end-to-end freshness (" + Instant.now() + ") ==");
    report.forEach(System.out::println);
    Files.writeString(
        Path.of("target", "bench", "freshness.txt"), String.join("\n", report) + "\n");
  }

  private static String run(Lake lake, LakeClient client, int rate, int seconds, int batchSize)
      throws Exception {
    String run = Long.toHexString(System.nanoTime());
    String type = "bench_" + run;
    String probeType = "probe_" + run;
    String producer = lake.producerUrls().get(0);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(16))
            .build();
    Map<Integer, Long> ackedAt = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicLong ackedEvents = new AtomicLong();
    AtomicInteger batches = new AtomicInteger();
    int totalBatches = Math.max(1, rate * seconds / batchSize);
    long periodMicros = 1_000_000L * batchSize / rate;
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long sendStart = System.nanoTime();
    ticker.scheduleAtFixedRate(
        () -> {
          int b = batches.getAndIncrement();
          if (b >= totalBatches) {
            return;
          }
          ArrayNode body = LakeClient.JSON.createArrayNode();
          String now = Instant.now().toString();
          for (int i = 0; i < batchSize; i++) {
            ObjectNode e =
                LakeClient.event(
                    UUID.randomUUID().toString(),
                    i == 0 ? probeType : type,
                    "user-" + (b * batchSize + i) % 1000,
                    now,
                    Map.of("b", b));
            body.add(e);
          }
          HttpRequest request =
              HttpRequest.newBuilder(URI.create(producer + "/events"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build();
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, err) -> {
                    if (err == null && r.statusCode() == 202) {
                      ackedAt.put(b, System.nanoTime());
                      ackedEvents.addAndGet(batchSize);
                    } else {
                      refused.incrementAndGet();
                    }
                  });
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);

    // Two pollers, staggered, query back to back while sending and until every acked probe is
    // seen: a probe's freshness is bounded by when a query that returned it started (Trino reads
    // the snapshot current then) and by when that answer arrived.
    Map<Integer, Long> visibleBy = new ConcurrentHashMap<>();
    Map<Integer, Long> returnedAt = new ConcurrentHashMap<>();
    List<Long> queryMillis = Collections.synchronizedList(new ArrayList<>());
    String sql = "SELECT element_at(properties, 'b') FROM events WHERE type = '" + probeType + "'";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
    Runnable poller =
        () -> {
          while (System.nanoTime() < deadline) {
            long q0 = System.nanoTime();
            LakeClient.Answer a = client.query(sql, 100_000);
            long q1 = System.nanoTime();
            queryMillis.add((q1 - q0) / 1_000_000);
            if (a.status() == 200) {
              a.json()
                  .path("rows")
                  .forEach(
                      row -> {
                        visibleBy.merge(row.get(0).asInt(), q0, Math::min);
                        returnedAt.merge(row.get(0).asInt(), q1, Math::min);
                      });
            }
            boolean sendingDone = batches.get() >= totalBatches;
            if (sendingDone
                && !ackedAt.isEmpty()
                && returnedAt.keySet().containsAll(ackedAt.keySet())) {
              return;
            }
          }
        };
    Thread first = new Thread(poller, "bench-poller-1");
    first.start();
    Thread second = new Thread(poller, "bench-poller-2");
    // the second poller starts half a query later, so the two sample the table alternately
    ticker.schedule(second::start, 1, TimeUnit.SECONDS);
    first.join();
    second.join();
    double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
    ticker.shutdownNow();
    http.executor().ifPresent(e -> ((java.util.concurrent.ExecutorService) e).shutdown());
    List<Long> freshness = new ArrayList<>();
    List<Long> visible = new ArrayList<>();
    int unseen = 0;
    for (Map.Entry<Integer, Long> acked : ackedAt.entrySet()) {
      Long returned = returnedAt.get(acked.getKey());
      if (returned == null) {
        unseen++;
      } else {
        freshness.add(Math.max(0, (returned - acked.getValue()) / 1_000_000));
        visible.add(Math.max(0, (visibleBy.get(acked.getKey()) - acked.getValue()) / 1_000_000));
      }
    }
    Collections.sort(freshness);
    Collections.sort(visible);
    List<Long> latencies = new ArrayList<>(queryMillis);
    Collections.sort(latencies);
    return String.format(
        Locale.ROOT,
        "rate %d events/s (batches of %d, %d s): acked %d events (%d requests refused/failed),"
            + " freshness 202 -> returned by GET /query over %d probes: p50 %d ms, p95 %d ms,"
            + " p99 %d ms, max %d ms; not seen %d%n    visible by (start of the first query"
            + " that returned it): p50 %d ms, p95 %d ms, p99 %d ms; GET /query latency p50 %d ms,"
            + " p95 %d ms (window %.0f s)",
        rate,
        batchSize,
        seconds,
        ackedEvents.get(),
        refused.get(),
        freshness.size(),
        Percentiles.of(freshness, 50),
        Percentiles.of(freshness, 95),
        Percentiles.of(freshness, 99),
        Percentiles.of(freshness, 100),
        unseen,
        Percentiles.of(visible, 50),
        Percentiles.of(visible, 95),
        Percentiles.of(visible, 99),
        Percentiles.of(latencies, 50),
        Percentiles.of(latencies, 95),
        sendSeconds);
  }
}
