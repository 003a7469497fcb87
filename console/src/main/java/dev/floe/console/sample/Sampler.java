package dev.floe.console.sample;

import dev.floe.console.config.ConsoleSettings;
import dev.floe.console.source.FlinkSource;
import dev.floe.console.source.Http;
import dev.floe.console.source.KafkaSource;
import dev.floe.console.source.ProducerMetrics;
import dev.floe.console.source.TableSource;
import dev.floe.contract.JobMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Samples every source on a schedule, server-side, into ring buffers that every page and script
 * reads: however many pages are open, the lake is asked once per interval. Sampling pauses when
 * nobody asked the API for {@code floe.console.idle-after}, so an unwatched console costs the lake
 * nothing.
 *
 * <pre>
 *  every sample-interval (one thread): producers /q/metrics, Kafka admin (lag, records in/out) and
 *                                      dead letters, Flink REST (state, checkpoints; the job's own
 *                                      metrics every flink-metrics-interval)
 *  every table-interval (another):     query-service /query on "events$snapshots"
 *                                      ("events$partitions" every partitions-interval)
 * </pre>
 *
 * A source that fails is marked down with its error; the others are sampled as usual. The table,
 * dead-letter and source figures are also gauges on {@code /q/metrics} (for Prometheus), whose
 * scrapes count as someone watching.
 */
@ApplicationScoped
public class Sampler {

  private static final Logger LOG = Logger.getLogger(Sampler.class);
  private static final int TIMELINE = 50;

  private final ConsoleSettings config;
  private final Http http;
  private final FlinkSource flink;
  private final KafkaSource kafka;
  private final TableSource table;
  private final MeterRegistry registry;
  private volatile List<String[]> producers = List.of();
  private long producersResolvedAt;
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Ring ring;
  private final Ring tableRing;
  private final AtomicLong lastAsked = new AtomicLong();
  private final Map<String, Overview.SourceStatus> sources = new LinkedHashMap<>();
  private final Map<String, double[]> previous = new HashMap<>();
  private final LinkedList<Overview.Maintenance> timeline = new LinkedList<>();
  private ScheduledExecutorService executor;
  private volatile boolean sampling;
  private volatile Overview.Job job;
  private volatile List<KafkaSource.PartitionLag> lag = List.of();
  private volatile KafkaSource.Retention retention;
  private volatile String lastFailure;
  private long retentionAt;
  private volatile Overview.Table tableNow;
  private volatile KafkaSource.DeadLetters deadLetters;
  private String lastCompaction;
  private Long lastOldestRetained;
  private long flinkMetricsAt;
  private Map<String, Double> flinkMetrics = Map.of();
  private Long restarts;
  private long partitionsAt;
  private List<TableSource.PartitionFiles> partitions = List.of();

  Sampler(ConsoleSettings config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.http = new Http(config.sourceTimeout());
    this.flink = new FlinkSource(http, config.flinkRestUrl());
    this.kafka =
        new KafkaSource(
            config.kafkaBootstrapServers(),
            config.jobGroupId(),
            config.rawTopic(),
            config.dlqTopic(),
            config.cleanTopic(),
            config.sourceTimeout());
    this.table =
        new TableSource(new Http(config.queryTimeout()), config.queryUrl(), config.queryApiToken());
    int points = (int) (config.history().toMillis() / config.sampleInterval().toMillis());
    this.ring = new Ring(Math.max(10, points));
    int tablePoints = (int) (config.history().toMillis() / config.tableInterval().toMillis());
    this.tableRing = new Ring(Math.max(10, tablePoints));
    this.producers = configuredProducers();
    gauge("floe.console.table.rows", "rows of the table", "table.rows", null, null);
    gauge(
        "floe.console.table.data.files", "data files of the table", "table.dataFiles", null, null);
    gauge("floe.console.table.snapshots", "snapshots of the table", "table.snapshots", null, null);
  }

  /** A gauge of the latest value under {@code key} (NaN before the first). */
  private void gauge(String name, String description, String key, String tag, String value) {
    if (registry == null || !registered.add(key)) {
      return;
    }
    Gauge.Builder<Map<String, Double>> b =
        Gauge.builder(name, gauges, g -> g.getOrDefault(key, Double.NaN)).description(description);
    if (tag != null) {
      b = b.tag(tag, value);
    }
    b.register(registry);
  }

  /** producer-1, producer-2, ... for the configured URLs, in order. */
  private List<String[]> configuredProducers() {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < config.producerUrls().size(); i++) {
      out.add(new String[] {"producer-" + (i + 1), config.producerUrls().get(i)});
    }
    return out;
  }

  /**
   * The replicas to read: the configured URLs, or with resolve-producers every address their host
   * names resolve to (looked up again every 10 s, so scaled replicas appear).
   */
  private List<String[]> producers(long now) {
    if (!config.resolveProducers() || now - producersResolvedAt < 10_000) {
      return producers;
    }
    producersResolvedAt = now;
    List<String[]> out = new ArrayList<>();
    for (String url : config.producerUrls()) {
      URI uri = URI.create(url);
      try {
        for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
          String host = a.getHostAddress();
          String base =
              uri.getScheme()
                  + "://"
                  + (host.contains(":") ? "[" + host + "]" : host)
                  + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                  + uri.getRawPath();
          out.add(new String[] {"producer@" + host, base});
        }
      } catch (UnknownHostException e) {
        out.add(new String[] {"producer@" + uri.getHost(), url});
      }
    }
    out.sort((x, y) -> x[0].compareTo(y[0]));
    synchronized (sources) {
      sources
          .keySet()
          .removeIf(k -> k.startsWith("producer") && out.stream().noneMatch(p -> p[0].equals(k)));
    }
    producers = out;
    return out;
  }

  void onStart(@Observes StartupEvent event) {
    executor =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "console-sampler");
              t.setDaemon(true);
              return t;
            });
    long every = config.sampleInterval().toMillis();
    executor.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(
        this::tableTick, 0, config.tableInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (kafka) {
      kafka.close();
    }
  }

  /** Someone asked: sampling runs (again), at once if it was paused. */
  public void touch() {
    long before = lastAsked.getAndSet(System.currentTimeMillis());
    if (!sampling && executor != null && !executor.isShutdown()) {
      sampling = true;
      if (System.currentTimeMillis() - before > config.idleAfter().toMillis()) {
        executor.execute(this::tick);
        executor.execute(this::tableTick);
      }
    }
  }

  private boolean watched() {
    boolean watched = System.currentTimeMillis() - lastAsked.get() <= config.idleAfter().toMillis();
    if (!watched && sampling) {
      sampling = false;
      synchronized (previous) {
        previous.clear(); // a rate must not span the pause
      }
    }
    return watched;
  }

  private void tick() {
    if (!watched()) {
      return;
    }
    try {
      synchronized (this) {
        sample();
      }
    } catch (RuntimeException e) {
      LOG.warn("sample failed", e);
    }
  }

  private void tableTick() {
    if (!watched()) {
      return;
    }
    try {
      synchronized (table) {
        sampleTable();
      }
    } catch (RuntimeException e) {
      LOG.warn("table sample failed", e);
    }
  }

  private void sample() {
    long now = System.currentTimeMillis();
    Map<String, Double> values = new LinkedHashMap<>();
    for (String[] producer : producers(now)) {
      String name = producer[0];
      String url = producer[1];
      try {
        ProducerMetrics m =
            ProducerMetrics.parse(http.text(url + "/q/metrics", config.producerApiToken()));
        rate(values, "ingest." + name + ".accepted", m.accepted(), now);
        rate(values, "ingest." + name + ".rejected", m.rejected(), now);
        rate(values, "ingest." + name + ".failed", m.failed(), now);
        up(name, "producer", url + "/q/metrics", now);
      } catch (IOException | RuntimeException e) {
        forget("ingest." + name + ".");
        down(name, "producer", url + "/q/metrics", e, now);
      }
    }
    // Records in and out from Kafka, not from the job's metrics (each read of those costs the job
    // a dump of all its metrics): what the job's group committed on the raw topic and what the job
    // committed to the clean topic, both moving once per checkpoint.
    Double in = null;
    Double out = null;
    synchronized (kafka) {
      try {
        List<KafkaSource.PartitionLag> l = kafka.lag();
        long total = 0;
        long committed = 0;
        for (KafkaSource.PartitionLag p : l) {
          values.put("lag." + p.partition(), (double) p.lag());
          total += p.lag();
          committed += p.committed();
        }
        values.put("lag.total", (double) total);
        lag = l;
        // the oldest unread record is read from Kafka: not more often than the table is read
        if (now - retentionAt >= config.tableInterval().toMillis()) {
          retention = kafka.retention(l, now);
          retentionAt = now;
        }
        in = rate(values, "job.recordsIn", committed, now);
        out = rate(values, "job.recordsOut", kafka.cleanRecords(), now);
        deadLetters = kafka.deadLetters();
        deadLetters
            .byReason()
            .forEach(
                (reason, count) -> {
                  gauges.put("dlq." + reason, count.doubleValue());
                  gauge(
                      "floe.console.dead.letters",
                      "dead letters in the dead-letter topic, by reason",
                      "dlq." + reason,
                      "reason",
                      reason);
                });
        up("kafka", "kafka", config.kafkaBootstrapServers(), now);
      } catch (IOException | RuntimeException e) {
        lag = List.of();
        forget("job.records");
        down("kafka", "kafka", config.kafkaBootstrapServers(), e, now);
      }
    }
    try {
      boolean withMetrics = now - flinkMetricsAt >= config.flinkMetricsInterval().toMillis();
      FlinkSource.JobSample s = flink.sample(withMetrics);
      if (withMetrics) {
        flinkMetricsAt = now;
        flinkMetrics = s.metrics();
        if (s.restarts() != null) {
          restarts = s.restarts();
        }
        lastFailure = s.lastFailure();
      }
      // the job's gauges as last read (at most flink-metrics-interval old)
      Map<String, Double> m = flinkMetrics;
      Long p50 = positive(m.get(JobMetrics.FRESHNESS_P50_GAUGE));
      Long p99 = positive(m.get(JobMetrics.FRESHNESS_P99_GAUGE));
      put(values, "freshness.p50", p50);
      put(values, "freshness.p99", p99);
      Long age = s.checkpointAt() == null ? null : Math.max(0, now - s.checkpointAt());
      put(values, "checkpoint.durationMs", s.checkpointDurationMs());
      put(values, "checkpoint.sizeBytes", s.checkpointSizeBytes());
      put(values, "checkpoint.ageMs", age);
      Double interval = m.get(JobMetrics.COMMIT_INTERVAL_GAUGE);
      Double backlog = m.get(JobMetrics.PROCESSING_BACKLOG_GAUGE);
      Double events = m.get(JobMetrics.FRESHNESS_EVENTS_GAUGE);
      job =
          new Overview.Job(
              s.jobId(),
              s.name(),
              s.state(),
              restarts,
              in,
              out,
              s.checkpointId(),
              s.checkpointAt(),
              age,
              s.checkpointDurationMs(),
              s.checkpointSizeBytes(),
              s.stateSizeBytes(),
              s.checkpointsFailed(),
              interval == null ? null : interval.longValue(),
              backlog == null ? null : backlog > 0,
              p50,
              p99,
              events == null ? null : events.longValue(),
              lastFailure);
      up("flink", "flink", config.flinkRestUrl(), now);
    } catch (IOException | RuntimeException e) {
      flinkMetricsAt = 0; // read them again as soon as the job answers
      Overview.Job last = job;
      if (last != null) {
        job =
            new Overview.Job(
                last.jobId(),
                last.name(),
                "UNKNOWN (Flink REST API down)",
                last.restarts(),
                in,
                out,
                last.lastCheckpointId(),
                last.lastCheckpointAt(),
                last.lastCheckpointAt() == null ? null : now - last.lastCheckpointAt(),
                last.lastCheckpointDurationMs(),
                last.lastCheckpointSizeBytes(),
                last.stateSizeBytes(),
                last.checkpointsFailed(),
                last.commitIntervalMs(),
                last.drainingBacklog(),
                null,
                null,
                null,
                last.lastFailure());
      }
      down("flink", "flink", config.flinkRestUrl(), e, now);
    }
    ring.add(now, values);
  }

  private void sampleTable() {
    long now = System.currentTimeMillis();
    String address = config.queryUrl() + "/query";
    try {
      TableSource.TableSample s = table.sample();
      if (now - partitionsAt >= config.partitionsInterval().toMillis()) {
        partitions = table.partitions();
        partitionsAt = now;
      }
      Map<String, Double> values = new LinkedHashMap<>();
      put(values, "rows", s.rows());
      put(values, "dataFiles", s.dataFiles());
      values.put("snapshots", (double) s.snapshots());
      tableRing.add(now, values);
      values.forEach((k, v) -> gauges.put("table." + k, v));
      maintenance(s, now);
      List<Overview.Maintenance> events;
      synchronized (timeline) {
        events = List.copyOf(timeline);
      }
      tableNow =
          new Overview.Table(
              now,
              s.rows(),
              s.dataFiles(),
              s.snapshots(),
              s.newestAt() == null ? null : Instant.ofEpochMilli(s.newestAt()).toString(),
              partitions,
              partitionsAt == 0 ? null : partitionsAt,
              events);
      up("table", "table", address, now);
    } catch (IOException | RuntimeException e) {
      tableRing.add(now, Map.of());
      down("table", "table", address, e, now);
    }
  }

  /** Compactions (new replace snapshots) and expiries (the oldest kept snapshot moved on). */
  private void maintenance(TableSource.TableSample s, long now) {
    synchronized (timeline) {
      if (s.compactionId() != null && !s.compactionId().equals(lastCompaction)) {
        lastCompaction = s.compactionId();
        timeline.addFirst(
            new Overview.Maintenance(
                s.compactionAt() == null ? null : Instant.ofEpochMilli(s.compactionAt()).toString(),
                "compaction",
                "snapshot "
                    + s.compactionId()
                    + ": "
                    + (s.compactionRemoved() == null ? "?" : s.compactionRemoved())
                    + " data files rewritten into "
                    + (s.compactionAdded() == null ? "?" : s.compactionAdded())));
      }
      if (s.oldestAt() != null) {
        if (lastOldestRetained != null && s.oldestAt() > lastOldestRetained) {
          timeline.addFirst(
              new Overview.Maintenance(
                  Instant.ofEpochMilli(now).toString(),
                  "expiry",
                  "snapshots committed before " + Instant.ofEpochMilli(s.oldestAt()) + " expired"));
        }
        lastOldestRetained = s.oldestAt();
      }
      while (timeline.size() > TIMELINE) {
        timeline.removeLast();
      }
    }
  }

  private Double rate(Map<String, Double> values, String name, double counter, long now) {
    double[] prev;
    synchronized (previous) {
      prev = previous.put(name, new double[] {counter, now});
    }
    if (prev == null || counter < prev[0] || now <= prev[1]) {
      return null; // first sample, or the counter restarted
    }
    double r = (counter - prev[0]) * 1000.0 / (now - prev[1]);
    values.put(name, r);
    return r;
  }

  private void forget(String prefix) {
    synchronized (previous) {
      previous.keySet().removeIf(k -> k.startsWith(prefix));
    }
  }

  private static void put(Map<String, Double> values, String name, Long v) {
    if (v != null) {
      values.put(name, v.doubleValue());
    }
  }

  private static Long positive(Double v) {
    return v == null || v < 0 ? null : v.longValue();
  }

  private void up(String name, String kind, String address, long now) {
    sourceGauge(name, 1);
    synchronized (sources) {
      sources.put(name, new Overview.SourceStatus(name, kind, address, true, null, now));
    }
  }

  private void down(String name, String kind, String address, Exception e, long now) {
    String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    sourceGauge(name, 0);
    synchronized (sources) {
      sources.put(name, new Overview.SourceStatus(name, kind, address, false, error, now));
    }
  }

  private void sourceGauge(String name, double up) {
    gauges.put("source." + name, up);
    gauge(
        "floe.console.source.up",
        "whether a source answered its last read (1) or not (0)",
        "source." + name,
        "source",
        name);
  }

  /**
   * The overview as of the newest samples.
   *
   * @param points at most this many points per series
   * @param since only points after this time (epoch ms; 0 = all): a page asks for what it lacks
   * @return the overview
   */
  public Overview overview(int points, long since) {
    touch();
    List<Overview.SourceStatus> all = new ArrayList<>();
    synchronized (sources) {
      for (String[] p : producers) {
        all.add(pending(p[0], "producer", p[1] + "/q/metrics"));
      }
      all.add(pending("flink", "flink", config.flinkRestUrl()));
      all.add(pending("kafka", "kafka", config.kafkaBootstrapServers()));
      all.add(pending("table", "table", config.queryUrl() + "/tables/events"));
    }
    return new Overview(
        System.currentTimeMillis(),
        sampling,
        config.sampleInterval().toMillis(),
        config.tableInterval().toMillis(),
        all,
        ring.series(points, since),
        tableRing.series(points, since),
        job,
        lag,
        tableNow,
        deadLetters,
        retention);
  }

  private Overview.SourceStatus pending(String name, String kind, String address) {
    Overview.SourceStatus s = sources.get(name);
    return s != null
        ? s
        : new Overview.SourceStatus(name, kind, address, false, "not read yet", null);
  }

  /**
   * The dead letters as of the newest sample.
   *
   * @return them, empty before the first read
   */
  public Optional<KafkaSource.DeadLetters> deadLetters() {
    touch();
    return Optional.ofNullable(deadLetters);
  }

  /**
   * The query-service, for the SQL box and the snapshots (passed through as they answer).
   *
   * @return the table source
   */
  public TableSource table() {
    return table;
  }
}
