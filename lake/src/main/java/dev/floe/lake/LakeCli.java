package dev.floe.lake;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import dev.floe.view.DeadLetterReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The commands behind {@code ./floe}: {@code up [--producers N] [--generator-rate R]
 * [--no-generator] [--listen ADDRESS]}, {@code status}, {@code dlq [N]}, {@code raw TEXT}, {@code
 * table}, {@code partition-by FIELDS}, {@code stop}, {@code backup DIR}, {@code restore DIR}.
 * Settings come from the environment (see {@link LakeSettings} and {@link
 * dev.floe.infra.StackSettings}).
 */
public final class LakeCli {

  private static final String USAGE =
      """
      usage: floe up [--producers N] [--generator-rate EVENTS_PER_S] [--no-generator] [--listen ADDRESS]
                                  --listen (FLOE_LISTEN_ADDRESS, default 127.0.0.1) opens the services to
                                  the network; it then needs FLOE_PRODUCER_API_TOKEN, FLOE_QUERY_API_TOKEN
                                  and FLOE_CONSOLE_API_TOKEN
             floe status          each component's state, last checkpoint and Iceberg commit, lag, counts
             floe dlq [N]         the last N (default 10) dead letters of events.dlq with their reasons
             floe raw TEXT        writes TEXT as one record straight into events.raw, bypassing the
                                  producers' validation (to see a bad record end in events.dlq)
             floe table           the events table's partitioning and its data files per partition spec
             floe partition-by FIELDS
                                  changes the events table's partitioning in place (old files keep
                                  theirs), e.g. 'hour(occurred_at)', 'day(occurred_at), bucket(user_id, 16)',
                                  'type', or none; allowed: year|month|day|hour(occurred_at|produced_at|
                                  ingested_at), bucket(user_id|event_id|type|source, N),
                                  type|source|kafka_partition
             floe stop            stops a lake started on this data directory (FLOE_DATA_DIR)
             floe backup DIR      copies a stopped lake (catalog, warehouse, checkpoints, Kafka) to DIR
             floe restore DIR     puts a backup back into a fresh FLOE_DATA_DIR (the path it was taken from)
      """;

  private LakeCli() {}

  /**
   * Runs a command and exits with its status.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    // the platform reports progress through System.Logger (JUL): one plain line each
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
    }
    int code;
    try {
      code = run(args, System.out, System.getenv());
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("floe: " + e.getMessage());
      code = 2;
    } catch (RuntimeException e) {
      System.err.println("floe: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static int run(String[] args, PrintStream out, Map<String, String> env) {
    if (args.length == 0) {
      out.print(USAGE);
      return 2;
    }
    List<String> rest = List.of(args).subList(1, args.length);
    return switch (args[0]) {
      case "up" -> up(settings(rest, env), out);
      case "status" -> status(dataDir(env), out);
      case "dlq" -> dlq(dataDir(env), rest, out);
      case "raw" -> raw(dataDir(env), rest, out);
      case "table" -> table(dataDir(env), out);
      case "partition-by" -> partitionBy(dataDir(env), rest, out);
      case "stop" -> stop(dataDir(env), out);
      case "backup" -> {
        Backup.backup(dataDir(env), Path.of(single(rest, "backup DIR")), out);
        yield 0;
      }
      case "restore" -> {
        Backup.restore(Path.of(single(rest, "restore DIR")), dataDir(env), out);
        yield 0;
      }
      case "help", "-h", "--help" -> {
        out.print(USAGE);
        yield 0;
      }
      default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
    };
  }

  private static String single(List<String> options, String usage) {
    if (options.size() != 1) {
      throw new IllegalArgumentException("usage: floe " + usage);
    }
    return options.get(0);
  }

  private static Path dataDir(Map<String, String> env) {
    return LakeSettings.fromEnvironment(env).build().dataDir();
  }

  /**
   * Applies the options of {@code up} to the settings from the environment.
   *
   * @param options the options after "up"
   * @param env the environment
   * @return validated settings
   */
  static LakeSettings settings(List<String> options, Map<String, String> env) {
    LakeSettings.Builder b = LakeSettings.fromEnvironment(env);
    for (int i = 0; i < options.size(); i++) {
      String o = options.get(i);
      switch (o) {
        case "--producers" -> b.producers(LakeSettings.integer(o, value(options, ++i, o)));
        case "--generator-rate" -> b.generatorRate(LakeSettings.decimal(o, value(options, ++i, o)));
        case "--no-generator" -> b.generatorRate(0);
        case "--listen" -> b.listenAddress(value(options, ++i, o));
        default -> throw new IllegalArgumentException("unknown option '" + o + "'\n" + USAGE);
      }
    }
    return b.build();
  }

  private static String value(List<String> options, int i, String option) {
    if (i >= options.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return options.get(i);
  }

  private static int up(LakeSettings settings, PrintStream out) {
    Instant started = Instant.now();
    Lake lake = Lake.start(settings, out::println);
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable shutdown =
        () -> {
          out.println("\nfloe: stopping (data stay in " + settings.dataDir() + ")...");
          try {
            lake.close();
            out.println("floe: stopped");
          } finally {
            stopped.countDown();
          }
        };
    // Ordered stop on Ctrl-C / SIGTERM: a JVM shutdown hook would race the platform's own hook.
    installSignalHandlers(shutdown);
    Thread hook = new Thread(lake::close, "floe-lake-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(welcome(lake, Duration.between(started, Instant.now())));
    watch(stopped);
    return 0;
  }

  /**
   * Ctrl-C and TERM stop the lake in order. Through reflection: {@code sun.misc.Signal} (module
   * jdk.unsupported) is the only way to handle a signal, and naming it in code is a compiler
   * warning that no annotation suppresses.
   */
  private static void installSignalHandlers(Runnable shutdown) {
    Class<?> signalClass;
    Class<?> handlerClass;
    try {
      signalClass = Class.forName("sun.misc.Signal");
      handlerClass = Class.forName("sun.misc.SignalHandler");
    } catch (ClassNotFoundException e) {
      return; // no signal API: the shutdown hook stops the lake instead
    }
    Object handler =
        java.lang.reflect.Proxy.newProxyInstance(
            handlerClass.getClassLoader(),
            new Class<?>[] {handlerClass},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "handle" -> {
                    shutdown.run();
                    Runtime.getRuntime().halt(0);
                    yield null;
                  }
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> "floe-signal-handler";
                });
    for (String name : List.of("INT", "TERM")) {
      try {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
      } catch (ReflectiveOperationException | IllegalArgumentException e) {
        // signal not available on this platform: the shutdown hook stops the lake instead
      }
    }
  }

  /**
   * Waits until the lake is stopped. A component that dies meanwhile is restarted by the lake's
   * supervisor, which reports it on this terminal.
   */
  private static void watch(CountDownLatch stopped) {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String welcome(Lake lake, Duration took) {
    RuntimeInfo info = lake.runtimeInfo();
    String producer = info.producerUrls().get(0);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    StringBuilder s = new StringBuilder();
    s.append(String.format("%nFloe is up (%.0f s). Endpoints:%n", took.toMillis() / 1000.0));
    for (int i = 0; i < info.producerUrls().size(); i++) {
      s.append(
          String.format(
              "  %-17s %s  POST /events%n", Lake.producerName(i), info.producerUrls().get(i)));
    }
    s.append(String.format("  %-17s %s  GET /query?sql=...%n", "query-service", info.queryUrl()));
    s.append(
        String.format(
            "  %-17s %s  Iceberg REST catalog (Spark, PyIceberg, DuckDB: docs/engines.md)%n",
            "catalog-service", lake.catalogUrl()));
    s.append(
        String.format("  %-17s %s  (the live lake in a browser)%n", "console", lake.consoleUrl()));
    s.append(String.format("  %-17s %s%n", "Trino", lake.stack().trinoUri()));
    s.append(String.format("  %-17s %s%n", "Flink REST/web UI", info.flinkRestUrl()));
    s.append(String.format("  %-17s %s%n", "Kafka", info.kafkaBootstrapServers()));
    s.append(
        String.format(
            "  %-17s %s/<component>.log%n", "logs", lake.settings().dataDir().resolve("logs")));
    s.append(
        lake.settings().generatorRate() > 0
            ? String.format(
                "The generator sends %s events/s per replica (--no-generator to turn it off).%n",
                trim(lake.settings().generatorRate()))
            : "The generator is off.\n");
    s.append("\nTry:\n");
    s.append("  curl -i -X POST ")
        .append(producer)
        .append("/events -H 'Content-Type: application/json' \\\n")
        .append("    -d '{\"type\":\"page_view\",\"userId\":\"user-42\",\"occurredAt\":\"")
        .append(now)
        .append("\",\"properties\":{\"page\":\"/home\"}}'\n");
    s.append("  curl -s -G ")
        .append(info.queryUrl())
        .append("/query --data-urlencode \\\n")
        .append(
            "    \"sql=SELECT event_id, type, user_id, occurred_at, source FROM events"
                + " WHERE user_id = 'user-42' ORDER BY occurred_at DESC\"\n");
    s.append("  ./floe status\n");
    s.append("  ./floe dlq\n");
    s.append("Ctrl-C stops everything; the next ./floe up keeps the data and resumes the job.\n");
    return s.toString();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static int status(Path dataDir, PrintStream out) {
    out.print(LakeStatus.read(dataDir).render());
    return 0;
  }

  private static int dlq(Path dataDir, List<String> options, PrintStream out) {
    int count = options.isEmpty() ? 10 : LakeSettings.integer("N", options.get(0));
    Optional<RuntimeInfo> info = RuntimeInfo.read(dataDir);
    if (info.isEmpty() || Lake.launcherPidFile(dataDir).liveProcess().isEmpty()) {
      out.println("floe: the lake is not running; start it with ./floe up");
      return 1;
    }
    List<DeadLetterReader.Letter> letters =
        DeadLetterView.last(info.get().kafkaBootstrapServers(), count);
    if (letters.isEmpty()) {
      out.println("no dead letters in " + DeadLetterView.DLQ_TOPIC);
    }
    letters.forEach(d -> out.println(DeadLetterView.render(d)));
    return 0;
  }

  private static int raw(Path dataDir, List<String> options, PrintStream out) {
    if (options.size() != 1) {
      throw new IllegalArgumentException("usage: floe raw TEXT");
    }
    Optional<RuntimeInfo> info = RuntimeInfo.read(dataDir);
    if (info.isEmpty() || Lake.launcherPidFile(dataDir).liveProcess().isEmpty()) {
      out.println("floe: the lake is not running; start it with ./floe up");
      return 1;
    }
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", info.get().kafkaBootstrapServers());
    p.put("acks", "all");
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            p,
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      org.apache.kafka.clients.producer.RecordMetadata m =
          producer
              .send(
                  new org.apache.kafka.clients.producer.ProducerRecord<>(
                      LakeStatus.RAW_TOPIC,
                      options.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      out.println("written to " + m.topic() + "/" + m.partition() + "@" + m.offset());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka did not take the record: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    return 0;
  }

  private static int table(Path dataDir, PrintStream out) {
    Optional<RuntimeInfo> info = runningLake(dataDir, out);
    if (info.isEmpty()) {
      return 1;
    }
    try {
      return TableAdmin.show(info.get().trinoJdbcUrl(), LakeStatus.TABLE, out);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Trino: " + e.getMessage(), e);
    }
  }

  private static int partitionBy(Path dataDir, List<String> options, PrintStream out) {
    // checked before anything else, so a typo is reported whether or not the lake runs
    List<String> fields = Partitioning.parse(options);
    Optional<RuntimeInfo> info = runningLake(dataDir, out);
    if (info.isEmpty()) {
      return 1;
    }
    try {
      return TableAdmin.partitionBy(info.get().trinoJdbcUrl(), LakeStatus.TABLE, fields, out);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Trino: " + e.getMessage(), e);
    }
  }

  private static Optional<RuntimeInfo> runningLake(Path dataDir, PrintStream out) {
    Optional<RuntimeInfo> info = RuntimeInfo.read(dataDir);
    if (info.isEmpty() || Lake.launcherPidFile(dataDir).liveProcess().isEmpty()) {
      out.println("floe: the lake is not running; start it with ./floe up");
      return Optional.empty();
    }
    return info;
  }

  /**
   * Stops the lake of a data directory: its launcher (which stops everything in order), then
   * whatever a killed run left behind.
   */
  private static int stop(Path dataDir, PrintStream out) {
    PidFile launcher = Lake.launcherPidFile(dataDir);
    Optional<ProcessHandle> live = launcher.liveProcess();
    if (live.isPresent()) {
      out.println("floe: stopping the lake (pid " + live.get().pid() + ")...");
      Processes.terminate(live.get(), Duration.ofMinutes(3));
    }
    List<String> stopped = new ArrayList<>();
    List<String> components = new ArrayList<>(List.of(Lake.CONSOLE, Lake.QUERY_SERVICE));
    for (int i = 49; i >= 0; i--) {
      components.add(Lake.producerName(i));
    }
    components.add(Lake.FLINK_JOB);
    for (String c : components) {
      // whoever started it: a leftover of a killed launcher is owned by nobody alive
      PidFile pid = new PidFile(dataDir.resolve("run").resolve(c + ".pid"));
      Optional<ProcessHandle> process = pid.liveProcess();
      if (process.isPresent()) {
        Processes.terminate(process.get(), Duration.ofSeconds(30));
        stopped.add(c);
      }
      pid.delete();
    }
    stopped.addAll(EmbeddedStack.stopLeftovers(dataDir));
    launcher.delete();
    out.println(
        stopped.isEmpty() && live.isEmpty()
            ? "floe: nothing was running"
            : "floe: stopped" + (stopped.isEmpty() ? "" : " (leftovers: " + stopped + ")"));
    return 0;
  }
}
