package dev.floe.job.bench;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import dev.floe.job.FloeJobMain;
import dev.floe.job.config.JobSettings;
import dev.floe.job.testing.JobArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Table health with and without the job's maintenance (prints figures, asserts nothing): a steady
 * stream with 2-second commits for {@code bench.duration} (10m), once with maintenance and once
 * without; at the start and the end of each run: data files, average file size, snapshots, and the
 * median latency of a fixed Trino aggregate. Run: {@code ./mvnw -B -f flink-job/pom.xml -Pbenchmark
 * verify -Dbench.main=dev.floe.job.bench.MaintenanceBenchmark -Dbench.args="-Dbench.duration=10m"}.
 * Other properties: {@code bench.rate} (events/s, 200), {@code bench.query.runs} (7).
 */
public final class MaintenanceBenchmark {
  private static final Duration DURATION =
      Duration.parse("PT" + System.getProperty("bench.duration", "10m").toUpperCase());
  private static final int RATE = Integer.getInteger("bench.rate", 200);
  private static final int QUERY_RUNS = Integer.getInteger("bench.query.runs", 7);

  /** The maintenance settings of the run with maintenance (the rest are the job's defaults). */
  private static final String[] MAINTENANCE = {
    "--floe.maintenance.rate-limit", "10s",
    "--floe.maintenance.rewrite.commit-count", "30",
    "--floe.maintenance.snapshot-retention", "2m",
    "--floe.maintenance.expire.commit-count", "30"
  };

  private MaintenanceBenchmark() {}

  public static void main(String[] args) throws Exception {
    EmbeddedStack stack = SharedStack.get(Service.KAFKA, Service.POSTGRES, Service.TRINO);
    try {
      System.out.printf(
          "%nMaintenance benchmark: %s per run, %d events/s, commits every 2 s, parallelism 2%n"
              + "with maintenance: %s%n",
          DURATION, RATE, String.join(" ", MAINTENANCE));
      run(stack, false);
      run(stack, true);
    } finally {
      stack.close();
    }
    System.exit(0);
  }

  private static void run(EmbeddedStack stack, boolean maintenance) throws Exception {
    String name = "mbench_" + UUID.randomUUID().toString().substring(0, 8);
    String raw = "raw." + name;
    stack.createTopic(raw, 2);
    stack.createTopic("clean." + name, 2);
    stack.createTopic("dlq." + name, 1);
    List<String> args = new ArrayList<>(settings(stack, name, raw));
    if (maintenance) {
      args.addAll(Arrays.asList(MAINTENANCE));
    } else {
      args.addAll(List.of("--floe.maintenance.enabled", "false"));
    }
    JobSettings settings =
        JobSettings.load(
            args.toArray(String[]::new),
            Map.of(),
            new org.apache.flink.configuration.Configuration());
    String label = maintenance ? "with maintenance" : "without maintenance";
    String table = "iceberg.lake.events_" + name;

    AtomicLong sent = new AtomicLong();
    ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    KafkaProducer<byte[], byte[]> kafka =
        new KafkaProducer<>(
            producerProps(stack), new ByteArraySerializer(), new ByteArraySerializer());
    JobClient job = FloeJobMain.start(settings);
    Properties props = new Properties();
    props.setProperty("user", EmbeddedStack.TRINO_ADMIN_USER);
    try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), props)) {
      int perTick = Math.max(1, RATE / 10);
      producer.scheduleAtFixedRate(
          () -> {
            for (int i = 0; i < perTick; i++) {
              kafka.send(record(raw, (int) sent.getAndIncrement()));
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      long firstCommitDeadline = start + TimeUnit.MINUTES.toNanos(2);
      while (longOf(trino, "SELECT count(*) FROM iceberg.lake.\"events_" + name + "$snapshots\"")
          == 0) {
        if (System.nanoTime() > firstCommitDeadline) {
          throw new IllegalStateException("no commit within 2 minutes");
        }
        TimeUnit.MILLISECONDS.sleep(500); // pacing a poll, not synchronising threads
      }
      report(label, "start", trino, name, table);
      long end = start + DURATION.toNanos();
      while (System.nanoTime() < end) {
        TimeUnit.SECONDS.sleep(
            Math.min(10, Math.max(1, (end - System.nanoTime()) / 1_000_000_000)));
      }
      report(label, "end", trino, name, table);
      System.out.printf(
          "  %s: %d events sent, job %s%n", label, sent.get(), job.getJobStatus().get());
    } finally {
      producer.shutdownNow();
      kafka.close();
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  private static void report(String label, String when, Connection trino, String name, String table)
      throws SQLException {
    String files = "iceberg.lake.\"events_" + name + "$files\"";
    long dataFiles = longOf(trino, "SELECT count(*) FROM " + files + " WHERE content = 0");
    long avgSize =
        longOf(
            trino,
            "SELECT coalesce(cast(avg(file_size_in_bytes) AS bigint), 0) FROM "
                + files
                + " WHERE content = 0");
    long snapshots =
        longOf(trino, "SELECT count(*) FROM iceberg.lake.\"events_" + name + "$snapshots\"");
    long rows = longOf(trino, "SELECT count(*) FROM " + table);
    String query =
        "SELECT type, count(*), count(DISTINCT user_id), max(occurred_at) FROM "
            + table
            + " GROUP BY type";
    double[] ms = new double[QUERY_RUNS];
    for (int i = 0; i < QUERY_RUNS; i++) {
      long t0 = System.nanoTime();
      try (Statement st = trino.createStatement();
          ResultSet rs = st.executeQuery(query)) {
        while (rs.next()) {
          rs.getLong(2);
        }
      }
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        "  %-20s %-5s rows %9d | data files %5d | avg file %8.1f KiB | snapshots %5d | median"
            + " aggregate query %7.1f ms (%d runs)%n",
        label, when, rows, dataFiles, avgSize / 1024.0, snapshots, ms[QUERY_RUNS / 2], QUERY_RUNS);
  }

  private static long longOf(Connection trino, String sql) throws SQLException {
    try (Statement st = trino.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> settings(EmbeddedStack stack, String name, String raw) {
    Path checkpoints = Path.of("target", "bench-checkpoints", name).toAbsolutePath();
    return JobArgs.forStack(
        stack, name, raw, "clean." + name, "dlq." + name, "events_" + name, checkpoints, "2s");
  }

  private static Properties producerProps(EmbeddedStack stack) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return props;
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
    String id = UUID.randomUUID().toString();
    String json =
        "{\"eventId\":\""
            + id
            + "\",\"type\":\""
            + (i % 3 == 0 ? "page_view" : "click")
            + "\",\"userId\":\"user-"
            + (i % 10_000)
            + "\",\"occurredAt\":\""
            + Instant.now()
            + "\",\"properties\":{\"page\":\"/p/"
            + (i % 100)
            + "\"},\"source\":\"bench\",\"producedAt\":\""
            + Instant.now()
            + "\"}";
    return new ProducerRecord<>(
        topic, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }
}
