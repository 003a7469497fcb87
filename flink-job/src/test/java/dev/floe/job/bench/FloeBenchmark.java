package dev.floe.job.bench;

import dev.floe.contract.JobSizing;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import dev.floe.job.FloeJobMain;
import dev.floe.job.config.JobSettings;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import dev.floe.job.pipeline.DeduplicateEvents;
import dev.floe.job.pipeline.EventIds;
import dev.floe.job.pipeline.EventKey;
import dev.floe.job.sink.LakeTable;
import dev.floe.job.testing.JobArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Prints throughput and freshness figures (not a test). Run: {@code ./mvnw -B -f flink-job/pom.xml
 * -Pbenchmark verify} (see docs/performance.md). System properties: {@code bench.events} (1000000),
 * {@code bench.freshness.events} (120), {@code bench.freshness.interval-ms} (250), {@code
 * bench.checkpoint.interval} (1s), {@code bench.flink} (extra Flink settings for the job, {@code
 * key=value,key=value}), {@code bench.parts} (drain,freshness,state; waterfall on request).
 */
public final class FloeBenchmark {

  private static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
  private static final int FRESHNESS_EVENTS = Integer.getInteger("bench.freshness.events", 120);
  private static final long FRESHNESS_INTERVAL_MS =
      Long.getLong("bench.freshness.interval-ms", 250);
  private static final String CHECKPOINT_INTERVAL =
      System.getProperty("bench.checkpoint.interval", "1s");

  /** Which parts run: drain, freshness, state (all by default). */
  private static final List<String> PARTS =
      List.of(System.getProperty("bench.parts", "drain,freshness,state").split(","));

  private FloeBenchmark() {}

  public static void main(String[] args) throws Exception {
    EmbeddedStack stack = SharedStack.get(Service.KAFKA, Service.POSTGRES);
    try {
      if (PARTS.contains("drain")) {
        backlog(stack);
      }
      if (PARTS.contains("waterfall")) {
        waterfall(stack);
      }
      if (PARTS.contains("freshness")) {
        freshness(stack);
      }
      if (PARTS.contains("state")) {
        dedupStateSize();
      }
    } finally {
      stack.close();
    }
    System.exit(0);
  }

  // ---- (1) backlog drain ---------------------------------------------------------------------

  private static void backlog(EmbeddedStack stack) throws Exception {
    String name = "bench_" + UUID.randomUUID().toString().substring(0, 8);
    String raw = "raw." + name;
    // the peer harness's shape: 4 partitions, about 220 bytes, occurredAt over the last 4 days
    stack.createTopic(raw, 4);
    stack.createTopic("clean." + name, 4);
    stack.createTopic("dlq." + name, 1);

    long t0 = System.nanoTime();
    long bytes = produce(stack, raw, EVENTS, 0);
    double produceSeconds = seconds(System.nanoTime() - t0);
    System.out.printf(
        "BENCH backlog: produced %,d events (avg %d bytes, 4 partitions, occurredAt over 4 days)"
            + " in %.1f s%n",
        EVENTS, bytes / EVENTS, produceSeconds);

    double rawRate = rawConsumeRate(stack, raw, EVENTS);
    System.out.printf(
        "BENCH raw Kafka consume rate (same topic, same machine): %,.0f records/s%n", rawRate);

    JobSettings settings = settings(stack, name, raw);
    tableProperties(stack, "events_" + name);
    Map<String, Long> threadsBefore = threadTicks();
    long cpuBefore = processCpuNanos();
    long submit = System.nanoTime();
    // the job's start (table, checkpoint, graph, submission) runs on this thread and counts
    JobClient job = FloeJobMain.start(settings);
    // from here this thread polls the catalog (the peer's poller runs in a JVM of its own): not
    // the job's CPU
    long pollerCpuBefore = THREADS.getCurrentThreadCpuTime();
    Table table = null;
    try {
      Catalog catalog = catalog(stack);
      TableIdentifier id = TableIdentifier.of("lake", "events_" + name);
      long running = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      while (System.nanoTime() < deadline) {
        if (running == 0
            && job.getJobStatus().get() == org.apache.flink.api.common.JobStatus.RUNNING) {
          running = System.nanoTime();
        }
        table = catalog.loadTable(id);
        if (rows(table.currentSnapshot()) >= EVENTS) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(200); // polling cadence of a benchmark, not synchronisation
      }
      long visible = System.nanoTime();
      double wall = seconds(visible - submit);
      double cpu =
          seconds(
              processCpuNanos()
                  - cpuBefore
                  - (THREADS.getCurrentThreadCpuTime() - pollerCpuBefore));
      printThreads(threadsBefore, threadTicks());
      List<Snapshot> snapshots = new ArrayList<>();
      table.snapshots().forEach(snapshots::add);
      long rows = rows(table.currentSnapshot());
      double files =
          snapshots.stream()
              .mapToLong(s -> Long.parseLong(s.summary().getOrDefault("added-data-files", "0")))
              .average()
              .orElse(0);
      double drainSeconds = seconds(visible - (running == 0 ? submit : running));
      System.out.printf(
          "BENCH backlog into Iceberg: %,d rows; %.1f s from job submission (incl. start-up),"
              + " %.1f s from RUNNING = %,.0f rows/s%n",
          rows, wall, drainSeconds, rows / drainSeconds);
      System.out.printf(
          "BENCH CPU of this JVM during the drain (job and MiniCluster; the polling thread left"
              + " out): %.1f s ="
              + " %,.0f rows per CPU-second%n",
          cpu, rows / cpu);
      System.out.printf(
          "BENCH commits: %d snapshots, %.1f data files per commit, %,.0f rows per commit%n",
          snapshots.size(), files, (double) rows / snapshots.size());
      System.out.printf(
          Locale.ROOT,
          "FLOE-DRAIN rows=%d all_visible_s=%.1f steady_rows_per_s=%.0f job_cpu_s=%.1f%n",
          rows,
          wall,
          rows / drainSeconds,
          cpu);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
  }

  // ---- (1b) cost waterfall -----------------------------------------------------------------

  /**
   * The drain's input, drained by the pipeline cut after each step in turn ({@link Waterfall}), and
   * once more as records that all fail the contract.
   */
  private static void waterfall(EmbeddedStack stack) throws Exception {
    String base = "wf_" + UUID.randomUUID().toString().substring(0, 8);
    String raw = "raw." + base;
    String bad = "bad." + base;
    stack.createTopic(raw, 4);
    stack.createTopic(bad, 4);
    produce(stack, raw, EVENTS, 0);
    if (WATERFALL_STEPS.isEmpty() || WATERFALL_STEPS.contains("dead_letters")) {
      produceInvalid(stack, bad, EVENTS);
    }

    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    double rawRate = rawConsumeRate(stack, raw, EVENTS);
    System.out.printf(
        Locale.ROOT,
        "FLOE-WATERFALL step=raw_consume wall_s=%.1f job_cpu_s=%.1f  plain KafkaConsumer, one"
            + " thread (%,.0f records/s)%n",
        seconds(System.nanoTime() - t0),
        seconds(THREADS.getCurrentThreadCpuTime() - cpu0),
        rawRate);

    // the first pass also pays for loading and compiling the code of each step it reaches first;
    // the later passes measure the steps with warm code
    for (int pass = 1; pass <= WATERFALL_PASSES; pass++) {
      waterfallPass(stack, base, raw, bad, pass);
    }
  }

  private static final int WATERFALL_PASSES = Integer.getInteger("bench.waterfall.passes", 2);

  /**
   * {@code bench.waterfall.steps}: only these steps (e.g. {@code source,dedup}); all when empty.
   */
  private static final List<String> WATERFALL_STEPS =
      System.getProperty("bench.waterfall.steps", "").isBlank()
          ? List.of()
          : List.of(System.getProperty("bench.waterfall.steps").split(","));

  private static void waterfallPass(
      EmbeddedStack stack, String base, String raw, String bad, int pass) throws Exception {
    List<Waterfall.Row> rows = new ArrayList<>();
    for (Waterfall.Step step : Waterfall.Step.values()) {
      if (!WATERFALL_STEPS.isEmpty()
          && !WATERFALL_STEPS.contains(step.name().toLowerCase(Locale.ROOT))) {
        continue;
      }
      String name = base + "_" + pass + "_" + step.ordinal();
      stack.createTopic("clean." + name, 4);
      stack.createTopic("dlq." + name, 1);
      boolean maintenance = step.compareTo(Waterfall.Step.FULL) >= 0;
      JobSettings settings =
          settings(
              stack,
              name,
              step == Waterfall.Step.DEAD_LETTERS ? bad : raw,
              "--floe.maintenance.enabled",
              String.valueOf(maintenance));
      Table table = null;
      Catalog catalog = catalog(stack);
      TableIdentifier id = TableIdentifier.of("lake", "events_" + name);
      String outputTopic =
          step == Waterfall.Step.CLEAN
              ? "clean." + name
              : step == Waterfall.Step.DEAD_LETTERS ? "dlq." + name : null;
      long cpuBefore = processCpuNanos();
      long submit = System.nanoTime();
      JobClient job =
          step.compareTo(Waterfall.Step.LAKE) >= 0
              ? FloeJobMain.start(settings)
              : Waterfall.startCut(step, settings, name);
      // the start counts; from here this thread only polls
      long pollerCpuBefore = THREADS.getCurrentThreadCpuTime();
      double startupCpu = Double.NaN;
      try (CommittedCounter output =
          outputTopic == null ? null : new CommittedCounter(stack, outputTopic)) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long done = 0;
        while (done < EVENTS && System.nanoTime() < deadline) {
          if (Double.isNaN(startupCpu)
              && job.getJobStatus().get() == org.apache.flink.api.common.JobStatus.RUNNING) {
            startupCpu =
                seconds(
                    processCpuNanos()
                        - cpuBefore
                        - (THREADS.getCurrentThreadCpuTime() - pollerCpuBefore));
          }
          if (output != null) {
            done = output.poll();
          } else if (step.compareTo(Waterfall.Step.LAKE) >= 0) {
            table = table == null ? catalog.loadTable(id) : table;
            table.refresh();
            done = rows(table.currentSnapshot());
          } else {
            done = Waterfall.count(name);
            TimeUnit.MILLISECONDS.sleep(100); // polling cadence of a benchmark
          }
        }
        double wall = seconds(System.nanoTime() - submit);
        double cpu =
            seconds(
                processCpuNanos()
                    - cpuBefore
                    - (THREADS.getCurrentThreadCpuTime() - pollerCpuBefore));
        if (done < EVENTS) {
          System.out.printf("BENCH waterfall %s: only %,d of %,d records%n", step, done, EVENTS);
        }
        rows.add(new Waterfall.Row(step, wall, cpu, startupCpu));
        System.out.printf(Locale.ROOT, "BENCH waterfall %s: %.1f s, %.1f CPU-s%n", step, wall, cpu);
      } finally {
        job.cancel().get(1, TimeUnit.MINUTES);
      }
    }
    Waterfall.print(rows, EVENTS, pass);
  }

  /** Counts the records of a topic that are committed (read_committed), on the calling thread. */
  private static final class CommittedCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long count;

    CommittedCounter(EmbeddedStack stack, String topic) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
      consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    long poll() {
      count += consumer.poll(Duration.ofMillis(200)).count();
      return count;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** Records that all fail the contract (an upper-case type): the dead-letter path. */
  private static void produceInvalid(EmbeddedStack stack, String topic, int count) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerProps(stack), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        ProducerRecord<byte[], byte[]> r = record(topic, i);
        String json =
            new String(r.value(), StandardCharsets.UTF_8)
                .replace("\"type\":\"page_view\"", "\"type\":\"Page View\"");
        producer.send(new ProducerRecord<>(topic, r.key(), json.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  // ---- (2) freshness -------------------------------------------------------------------------

  private static void freshness(EmbeddedStack stack) throws Exception {
    String name = "fresh_" + UUID.randomUUID().toString().substring(0, 8);
    String raw = "raw." + name;
    // one partition: the source reads in offset order and a checkpoint commits a prefix of it,
    // so "n rows visible" means "the first n events sent are visible"
    stack.createTopic(raw, 1);
    stack.createTopic("clean." + name, 2);
    stack.createTopic("dlq." + name, 1);
    JobClient job = FloeJobMain.start(settings(stack, name, raw));
    try {
      Catalog catalog = catalog(stack);
      TableIdentifier id = TableIdentifier.of("lake", "events_" + name);
      Table table = catalog.loadTable(id);
      // warm-up: one event through the whole path, so start-up is not counted
      long[] sent = new long[FRESHNESS_EVENTS + 1];
      long[] visible = new long[FRESHNESS_EVENTS + 1];
      Properties props = producerProps(stack);
      props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        sent[0] = System.nanoTime();
        producer.send(record(raw, 0)).get();
        awaitRows(table, 1, Duration.ofMinutes(3));
        visible[0] = System.nanoTime();

        int next = 1;
        int seen = 1;
        long nextSend = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (seen <= FRESHNESS_EVENTS && System.nanoTime() < deadline) {
          long now = System.nanoTime();
          if (next <= FRESHNESS_EVENTS && now >= nextSend) {
            sent[next] = now;
            producer.send(record(raw, next));
            producer.flush();
            next++;
            nextSend += TimeUnit.MILLISECONDS.toNanos(FRESHNESS_INTERVAL_MS);
          }
          table.refresh();
          long rows = rows(table.currentSnapshot());
          long observed = System.nanoTime();
          while (seen < rows && seen <= FRESHNESS_EVENTS) {
            visible[seen++] = observed;
          }
          TimeUnit.MILLISECONDS.sleep(20); // polling cadence of a benchmark
        }
      }
      double[] latencies = new double[FRESHNESS_EVENTS];
      for (int i = 1; i <= FRESHNESS_EVENTS; i++) {
        latencies[i - 1] = visible[i] == 0 ? Double.NaN : (visible[i] - sent[i]) / 1e6;
      }
      Arrays.sort(latencies);
      System.out.printf(
          "BENCH freshness (produce -> visible in a committed snapshot), %d events at one per %d"
              + " ms, checkpoint interval %s: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          FRESHNESS_EVENTS,
          FRESHNESS_INTERVAL_MS,
          CHECKPOINT_INTERVAL,
          percentile(latencies, 0.50),
          percentile(latencies, 0.99),
          latencies[latencies.length - 1]);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
  }

  // ---- (3) dedup state size ------------------------------------------------------------------

  private static void dedupStateSize() throws Exception {
    int ids = 1_000_000;
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new DeduplicateEvents(Duration.ofHours(1))),
            EventKey.EVENT,
            EventKey.TYPE);
    EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend(true);
    // the harness has almost no managed memory; RocksDB's own defaults stand in for the job's
    rocksDb.getMemoryConfiguration().setUseManagedMemory(false);
    harness.setStateBackend(rocksDb);
    harness.setCheckpointStorage(
        new org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage(
            java.nio.file.Files.createTempDirectory("dedup-state").toUri()));
    harness.open();
    long heapBefore = usedHeap();
    for (int i = 0; i < ids; i++) {
      RawRecord r = new RawRecord("events.raw", 0, i, 0L, record("t", i).value());
      EventIds.assign(r);
      Event event = new Event();
      event.idHi = r.idHi;
      event.idLo = r.idLo;
      harness.processElement(new StreamRecord<>(event));
      if (i % 10_000 == 0) {
        harness.getOutput().clear();
      }
    }
    harness.getOutput().clear();
    long heapAfter = usedHeap();
    long checkpointBytes = harness.snapshot(1L, 1L).getStateSize();
    System.out.printf(
        "BENCH dedup state (RocksDB, incremental checkpoints, TTL): %,d ids held; checkpoint %,d"
            + " bytes per id = %,d MB per million ids; JVM heap %+,d bytes per id%n",
        ids,
        checkpointBytes / ids,
        checkpointBytes / (1024 * 1024),
        (heapAfter - heapBefore) / ids);
    harness.close();
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU ticks of this process's threads by kind (the OS thread name, digits folded), from
   * /proc/self/task: JIT compiler and GC threads included, which no Java API lists. Threads that
   * ended are missing, so the figures are a lower bound of each kind.
   */
  private static Map<String, Long> threadTicks() {
    Map<String, Long> ticks = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return ticks;
    }
    for (java.io.File task : tasks) {
      try {
        String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
        int close = stat.lastIndexOf(')');
        String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("[0-9]+", "#");
        String[] f = stat.substring(close + 2).split(" ");
        ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return ticks;
  }

  private static void printThreads(Map<String, Long> before, Map<String, Long> after) {
    StringBuilder line = new StringBuilder("BENCH CPU by thread kind (s):");
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(16)
        .forEach(
            e ->
                line.append(
                    String.format(Locale.ROOT, " [%s]=%.1f", e.getKey(), e.getValue() / 100.0)));
    // ticks of USER_HZ, 100 on Linux
    System.out.println(line);
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static JobSettings settings(
      EmbeddedStack stack, String name, String raw, String... extra) {
    Path checkpoints = Path.of("target", "bench-checkpoints", name).toAbsolutePath();
    List<String> args =
        new ArrayList<>(
            JobArgs.forStack(
                stack,
                name,
                raw,
                "clean." + name,
                "dlq." + name,
                "events_" + name,
                checkpoints,
                CHECKPOINT_INTERVAL));
    // the parallelism ./floe up gives the job on this machine (JobArgs' 2 is the tests')
    args.addAll(List.of("--floe.parallelism", String.valueOf(JobSizing.parallelism())));
    args.addAll(List.of(extra));
    // e.g. -Dbench.flink="state.backend.type=rocksdb,execution.checkpointing.incremental=true"
    for (String pair : System.getProperty("bench.flink", "").split(",")) {
      if (!pair.isBlank()) {
        int eq = pair.indexOf('=');
        args.add("--" + pair.substring(0, eq).trim());
        args.add(pair.substring(eq + 1).trim());
      }
    }
    return JobSettings.load(
        args.toArray(String[]::new), Map.of(), new org.apache.flink.configuration.Configuration());
  }

  /**
   * {@code bench.table}: extra table properties ({@code k=v,k=v}) set before the job starts, to
   * compare writer settings.
   */
  private static void tableProperties(EmbeddedStack stack, String table) {
    String extra = System.getProperty("bench.table", "");
    if (extra.isBlank()) {
      return;
    }
    Catalog catalog = catalog(stack);
    TableIdentifier id = TableIdentifier.of("lake", table);
    try (org.apache.iceberg.hadoop.HadoopFileIO io =
        new org.apache.iceberg.hadoop.HadoopFileIO(new org.apache.hadoop.conf.Configuration())) {
      LakeTable.ensureExists(
          catalog, id, 128L * 1024 * 1024, io, LakeTable.defaultLocation(stack.warehouse(), id));
    }
    var update = catalog.loadTable(id).updateProperties();
    for (String pair : extra.split(",")) {
      int eq = pair.indexOf('=');
      update.set(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    update.commit();
    System.out.println("BENCH table properties: " + extra);
  }

  private static Catalog catalog(EmbeddedStack stack) {
    return CatalogUtil.buildIcebergCatalog(
        stack.catalogName(), stack.catalogProperties(), new org.apache.hadoop.conf.Configuration());
  }

  /**
   * The input's batches as the peer's LoadGen writes them (acks=all, linger 5 ms, 64 KB batches, no
   * compression), so that both read the same input; producer-service does not compress events.raw
   * either.
   */
  private static Properties producerProps(EmbeddedStack stack) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
    return props;
  }

  /**
   * About 220 bytes, the shape producer-service emits, with occurredAt spread over the last 4 days
   * (day partitioning then writes 5 partitions, as in the peer harness).
   */
  private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
    String id = UUID.randomUUID().toString();
    String user = "user-" + (i % 10_000);
    // milliseconds, as the peer's LoadGen writes them
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    Instant occurred = now.minusMillis(ThreadLocalRandom.current().nextLong(4 * 86_400_000L));
    String json =
        "{\"eventId\":\""
            + id
            + "\",\"type\":\"page_view\",\"userId\":\""
            + user
            + "\",\"occurredAt\":\""
            + occurred
            + "\",\"properties\":{\"page\":\"/p/"
            + (i % 100)
            + "\",\"ref\":\"search\"},\"source\":\"bench\",\"producedAt\":\""
            + now
            + "\"}";
    return new ProducerRecord<>(
        topic, user.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private static long produce(EmbeddedStack stack, String topic, int count, int from) {
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerProps(stack), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        ProducerRecord<byte[], byte[]> r = record(topic, i);
        bytes += r.value().length;
        producer.send(r);
      }
      producer.flush();
    }
    return bytes;
  }

  private static double rawConsumeRate(EmbeddedStack stack, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long start = System.nanoTime();
      long n = 0;
      while (n < expected) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        n += records.count();
      }
      return n / seconds(System.nanoTime() - start);
    }
  }

  private static void awaitRows(Table table, long rows, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      table.refresh();
      if (rows(table.currentSnapshot()) >= rows) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new IllegalStateException("no " + rows + " rows within " + timeout);
  }

  private static long rows(Snapshot snapshot) {
    return snapshot == null
        ? 0
        : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
  }

  private static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
