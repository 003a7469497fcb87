package dev.floe.console.sample;

import dev.floe.console.config.ConsoleSettings;
import dev.floe.console.source.FlinkSource;
import dev.floe.console.source.Http;
import dev.floe.console.source.KafkaSource;
import dev.floe.console.source.TableSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
 *  every sample-interval (thread console-sampler):   ProducerSampler  each replica's /q/metrics
 *                                                    KafkaSampler     lag, records in/out, dead
 *                                                                     letters, retention
 *                                                    FlinkSampler     state, checkpoints; the job's
 *                                                                     own metrics every
 *                                                                     flink-metrics-interval
 *  every table-interval (thread console-table):      TableSampler     "events$snapshots"
 *                                                                     ("events$partitions" every
 *                                                                     partitions-interval)
 * </pre>
 *
 * Each kind runs on its own single thread, so a slow table query never delays the other charts and
 * a sample asked for on demand queues behind the scheduled one instead of running beside it. A
 * source that fails is marked down with its error; the others are sampled as usual. The table,
 * dead-letter and source figures are also gauges on {@code /q/metrics} (for Prometheus), whose
 * scrapes count as someone watching.
 */
@ApplicationScoped
public class Sampler {

  private static final Logger LOG = Logger.getLogger(Sampler.class);

  /**
   * What the last sample of producers, Kafka and the job found, published as one value so that an
   * overview never mixes two samples.
   */
  private record Latest(
      Overview.Job job,
      List<KafkaSource.PartitionLag> lag,
      KafkaSource.DeadLetters deadLetters,
      KafkaSource.Retention retention) {}

  private final ConsoleSettings config;
  private final Rates rates = new Rates();
  private final SourceHealth health;
  private final ProducerSampler producers;
  private final KafkaSampler kafka;
  private final FlinkSampler flink;
  private final TableSource table;
  private final TableSampler tableSampler;
  private final Ring ring;
  private final AtomicLong lastAsked = new AtomicLong();
  private volatile Latest latest = new Latest(null, List.of(), null, null);
  private volatile boolean sampling;
  private ScheduledExecutorService sampleThread;
  private ScheduledExecutorService tableThread;

  Sampler(ConsoleSettings config, MeterRegistry registry) {
    this.config = config;
    ConsoleGauges gauges = new ConsoleGauges(registry);
    this.health = new SourceHealth(gauges);
    Http http = new Http(config.sourceTimeout());
    this.producers = new ProducerSampler(config, http, rates, health);
    this.kafka = new KafkaSampler(config, rates, health, gauges);
    this.flink =
        new FlinkSampler(
            new FlinkSource(http, config.flinkRestUrl()),
            config.flinkRestUrl(),
            config.flinkMetricsInterval(),
            health);
    this.table =
        new TableSource(new Http(config.queryTimeout()), config.queryUrl(), config.queryApiToken());
    this.ring = new Ring(points(config.sampleInterval().toMillis()));
    this.tableSampler =
        new TableSampler(
            table, config, new Ring(points(config.tableInterval().toMillis())), health, gauges);
  }

  /** Points of a series sampled every {@code everyMs} over the history, at least 10. */
  private int points(long everyMs) {
    return Math.max(10, (int) (config.history().toMillis() / everyMs));
  }

  void onStart(@Observes StartupEvent event) {
    sampleThread = Executors.newSingleThreadScheduledExecutor(daemon("console-sampler"));
    tableThread = Executors.newSingleThreadScheduledExecutor(daemon("console-table"));
    sampleThread.scheduleWithFixedDelay(
        this::tick, 0, config.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
    tableThread.scheduleWithFixedDelay(
        this::tableTick, 0, config.tableInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    for (ScheduledExecutorService thread :
        new ScheduledExecutorService[] {sampleThread, tableThread}) {
      if (thread != null) {
        thread.shutdownNow();
        try {
          thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    kafka.close();
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Someone asked: sampling runs (again), at once if it was paused. */
  public void touch() {
    long before = lastAsked.getAndSet(System.currentTimeMillis());
    if (!sampling && sampleThread != null && !sampleThread.isShutdown()) {
      sampling = true;
      if (System.currentTimeMillis() - before > config.idleAfter().toMillis()) {
        sampleThread.execute(this::tick);
        tableThread.execute(this::tableTick);
      }
    }
  }

  private boolean watched() {
    boolean watched = System.currentTimeMillis() - lastAsked.get() <= config.idleAfter().toMillis();
    if (!watched && sampling) {
      sampling = false;
      rates.clear(); // a rate must not span the pause
    }
    return watched;
  }

  private void tick() {
    if (!watched()) {
      return;
    }
    try {
      long now = System.currentTimeMillis();
      Map<String, Double> values = new LinkedHashMap<>();
      producers.sample(values, now);
      KafkaSampler.Reading k = kafka.sample(values, now);
      Overview.Job job = flink.sample(values, now, k.recordsIn(), k.recordsOut());
      latest = new Latest(job, k.lag(), k.deadLetters(), k.retention());
      ring.add(now, values);
    } catch (RuntimeException e) {
      LOG.warn("sample failed", e);
    }
  }

  private void tableTick() {
    if (!watched()) {
      return;
    }
    try {
      tableSampler.sample(System.currentTimeMillis());
    } catch (RuntimeException e) {
      LOG.warn("table sample failed", e);
    }
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
    List<Overview.SourceStatus> sources = new ArrayList<>();
    for (ProducerSampler.Replica p : producers.replicas()) {
      sources.add(health.status(p.name(), "producer", p.metricsUrl()));
    }
    sources.add(health.status("flink", "flink", config.flinkRestUrl()));
    sources.add(health.status("kafka", "kafka", config.kafkaBootstrapServers()));
    sources.add(health.status("table", "table", config.queryUrl() + "/tables/events"));
    Latest l = latest;
    return new Overview(
        System.currentTimeMillis(),
        sampling,
        config.sampleInterval().toMillis(),
        config.tableInterval().toMillis(),
        sources,
        ring.series(points, since),
        tableSampler.series(points, since),
        l.job(),
        l.lag(),
        tableSampler.now(),
        l.deadLetters(),
        l.retention());
  }

  /**
   * The dead letters as of the newest sample.
   *
   * @return them, empty before the first read
   */
  public Optional<KafkaSource.DeadLetters> deadLetters() {
    touch();
    return Optional.ofNullable(latest.deadLetters());
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
