package dev.floe.lake.faults;

import dev.floe.infra.StackSettings;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.Supervisor;
import dev.floe.lake.Lake;
import dev.floe.lake.LakeSettings;
import dev.floe.lake.LakeStatus;
import dev.floe.view.DeadLetterReader;
import dev.floe.view.FlinkRest;
import dev.floe.view.Http;
import dev.floe.view.KafkaLag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A lake started the way {@code ./floe up} starts it (same {@link Lake} code, supervision on,
 * generator off so that every row is the suite's own), with what a fault run needs on top: the
 * components' processes to kill, their restart counts, Trino for the table and Kafka consumers for
 * the topics.
 */
final class FaultLake implements AutoCloseable {

  static final String TABLE = "iceberg.lake.events";
  static final String RAW = "events.raw";
  static final String CLEAN = "events.clean";
  static final String DLQ = "events.dlq";

  /** The components a scenario may kill, as named in the run directory. */
  static final String JOB = Lake.FLINK_JOB;

  static final String KAFKA = "kafka";
  static final String POSTGRES = "postgres";
  static final String TRINO = "trino";

  volatile Lake lake;
  final Path dataDir;
  private final LakeSettings settings;
  private final Consumer<String> progress;

  private FaultLake(Lake lake, Path dataDir, LakeSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.dataDir = dataDir;
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Starts a lake in a new directory under {@code target/faults}, on free ports.
   *
   * @param producers producer replicas
   * @param progress where the lake's progress and restart lines go
   * @return the lake
   * @throws Exception when it does not come up
   */
  static FaultLake start(int producers, Consumer<String> progress) throws Exception {
    Path home = Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();
    Path dataDir = Path.of("target", "faults", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(dataDir);
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < producers; i++) {
      ports.add(Processes.freePort());
    }
    LakeSettings settings =
        LakeSettings.builder(StackSettings.forTests(dataDir))
            .home(home)
            .producerPorts(ports)
            .queryPort(Processes.freePort())
            .flinkRestPort(Processes.freePort())
            .generatorRate(0)
            .supervise(true)
            .build();
    return new FaultLake(Lake.start(settings, progress), dataDir, settings, progress);
  }

  /**
   * Stops the whole lake the way {@code ./floe stop} does, runs an action on the stopped lake's
   * data directory, and starts the lake again on it (same ports, as {@code ./floe up} would).
   *
   * @param whileStopped what happens to the data directory meanwhile
   */
  void restart(java.util.function.Consumer<Path> whileStopped) {
    lake.close();
    whileStopped.accept(dataDir);
    lake = Lake.start(settings, progress);
  }

  private final List<Path> mounts = new ArrayList<>();

  /**
   * Whether this machine lets the tests mount a tmpfs (it needs root).
   *
   * @return true when {@code mount -t tmpfs} works
   */
  static boolean canMountTmpfs() {
    try {
      Path probe = Files.createTempDirectory("floe-tmpfs-probe");
      boolean ok = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString());
      if (ok) {
        run("umount", probe.toString());
      }
      Files.deleteIfExists(probe);
      return ok;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Puts a directory of the stopped lake on a size-limited tmpfs (its files copied onto it),
   * unmounted when the lake is closed. The tmpfs holds what the directory holds now plus {@code
   * headroom} bytes, so that it fills up soon whatever ran before.
   *
   * @param dir the directory
   * @param headroom free bytes on the tmpfs once the files are copied
   */
  void mountTmpfs(Path dir, long headroom) {
    try {
      Path aside = dir.resolveSibling(dir.getFileName() + ".before-tmpfs");
      Files.move(dir, aside);
      Files.createDirectories(dir);
      long used;
      try (java.util.stream.Stream<Path> files = Files.walk(aside)) {
        // each file takes whole pages on a tmpfs
        used =
            files
                .filter(Files::isRegularFile)
                .mapToLong(f -> (f.toFile().length() / 4096 + 1) * 4096)
                .sum();
      }
      String size = "size=" + (used + headroom);
      if (!run("mount", "-t", "tmpfs", "-o", size, "tmpfs", dir.toString())) {
        throw new IllegalStateException("cannot mount a tmpfs on " + dir);
      }
      mounts.add(dir);
      dev.floe.lake.Backup.copyTree(aside, dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The warehouse directory of the lake (the table's files live under it). */
  Path warehouse() {
    return Path.of(java.net.URI.create(lake.stack().warehouse()).getPath());
  }

  List<String> producerUrls() {
    return lake.producerUrls();
  }

  String bootstrap() {
    return lake.stack().kafkaBootstrapServers();
  }

  /**
   * The live process of a component, as recorded in its pid file; for {@code postgres} the database
   * server itself (the postmaster), not the JVM that started it.
   */
  Optional<ProcessHandle> process(String component) {
    if (POSTGRES.equals(component)) {
      return lake.stack().postgresServer();
    }
    return new PidFile(dataDir.resolve("run").resolve(component + ".pid")).liveProcess();
  }

  /**
   * {@code kill -9} of a component's process; returns once it is gone.
   *
   * @param component e.g. {@code flink-job}
   * @return the pid killed
   */
  long kill9(String component) throws Exception {
    ProcessHandle p =
        process(component)
            .orElseThrow(() -> new IllegalStateException(component + " is not running"));
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
    return p.pid();
  }

  /** Restarts of a component by the lake's supervisor so far. */
  int restarts(String component) {
    String name = POSTGRES.equals(component) ? POSTGRES : component;
    return Supervisor.read(dataDir.resolve("run"), name).map(Supervisor.Record::restarts).orElse(0);
  }

  /** A connection to Trino as the read-only user. */
  Connection trino() throws SQLException {
    return LakeStatus.trino(lake.stack().trinoJdbcUrl());
  }

  /** {@code SELECT count(*)} with one string parameter, or -1 while Trino does not answer. */
  long count(String sql, String param) {
    try (Connection c = trino();
        PreparedStatement s = c.prepareStatement(sql)) {
      if (param != null) {
        s.setString(1, param);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      return -1;
    }
  }

  /**
   * Records of {@code events.raw} the job has not yet committed (its group's offsets, committed on
   * each completed checkpoint, against the end offsets), or -1 when Kafka does not answer.
   */
  long jobLag() {
    try (KafkaLag kafka = LakeStatus.kafkaLag(bootstrap(), Lake.JOB_GROUP_ID)) {
      return kafka.totalLag();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The Flink job's REST API, each request answered within 3 s. */
  FlinkRest flink() {
    return new FlinkRest(new Http(Duration.ofSeconds(3)), lake.flinkRestUrl());
  }

  /**
   * Whether the job failed inside its Flink cluster, and so restarted, at or after {@code since}:
   * the newest entry of its exception history, which the REST API serves from the job's execution
   * graph. Not the {@code numRestarts} metric: the REST API answers metrics from a store that a
   * request only schedules an update of, so the first read after a quiet spell can predate the last
   * restart (a fault run counted the disk-full scenario's last restart, half a minute before the
   * raw fuzz run began, as one during it). False when the REST API does not answer.
   */
  boolean jobFailedSince(Instant since) {
    try {
      FlinkRest rest = flink();
      return rest.lastFailure(rest.job().id()).map(f -> !f.at().isBefore(since)).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }

  /** The current end offsets of a topic. */
  Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      return new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(30)));
    }
  }

  /**
   * Reads a topic with read_committed from the given offsets up to its end offsets of now.
   *
   * @param topic the topic
   * @param from start offset per partition (partitions missing start at 0)
   * @param each receives each committed record
   */
  void read(
      String topic, Map<TopicPartition, Long> from, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      for (TopicPartition tp : parts) {
        c.seek(tp, from.getOrDefault(tp, 0L));
      }
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!DeadLetterReader.caughtUp(c, parts, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in 5 min");
        }
        c.poll(Duration.ofMillis(500)).forEach(each);
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /**
   * Deletes the records of a topic's partitions below the given offsets, as Kafka's retention would
   * (the Admin API's deleteRecords).
   *
   * @param before per partition, the first offset to keep
   */
  void deleteRecords(Map<TopicPartition, Long> before) {
    Properties p = new Properties();
    p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(p)) {
      Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> request = new HashMap<>();
      before.forEach(
          (tp, offset) ->
              request.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(offset)));
      admin.deleteRecords(request).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot delete records: " + e, e);
    }
  }

  /** A producer of raw records (acks=all, idempotent). */
  KafkaProducer<byte[], byte[]> rawProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  @Override
  public void close() {
    try {
      lake.close();
    } finally {
      // lazy: a process of the lake may hold a file open for a moment after it stopped
      mounts.forEach(m -> run("umount", "-l", m.toString()));
    }
  }
}
