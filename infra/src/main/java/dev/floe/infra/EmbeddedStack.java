package dev.floe.infra;

import dev.floe.contract.LakeNames;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Floe platform on one machine without Docker: a Kafka broker, PostgreSQL with the Iceberg JDBC
 * catalog, and Trino, each in its own child process (own classpath, own JVM), with logs in {@code
 * <dataDir>/logs/<component>.log} and pid files in {@code <dataDir>/run}.
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromEnvironment())) {
 *   stack.kafkaBootstrapServers();   // 127.0.0.1:9092
 *   stack.catalogProperties();       // for Iceberg's CatalogUtil.buildIcebergCatalog
 *   stack.trinoJdbcUrl();            // jdbc:trino://127.0.0.1:8088
 * }
 * }</pre>
 *
 * <p>Child JVMs exit by themselves when this JVM dies (even by SIGKILL), and a start cleans up what
 * a killed run left behind (stale pid files, leftover processes, postmaster.pid). Data survive a
 * restart.
 */
public final class EmbeddedStack implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(EmbeddedStack.class.getName());

  /**
   * Trino user with every privilege: tests and admin commands use it to create and change tables.
   */
  public static final String TRINO_ADMIN_USER = "floe_admin";

  /**
   * Trino user of the query-service: read-only on the {@code iceberg} and {@code system} catalogs.
   */
  public static final String TRINO_QUERY_USER = "floe_query";

  /**
   * The Trino catalog for writes (admin work as {@link #TRINO_ADMIN_USER}): the lake's catalog
   * {@code iceberg} is read-only for every user, this one is the same lake with writes allowed.
   */
  public static final String TRINO_ADMIN_CATALOG = "iceberg_admin";

  /**
   * The same schema or table in {@link #TRINO_ADMIN_CATALOG}, where writes are allowed.
   *
   * @param qualified {@code catalog.schema} or {@code catalog.schema.table}
   * @return {@code iceberg_admin.schema} or {@code iceberg_admin.schema.table}
   */
  public static String inAdminCatalog(String qualified) {
    return TRINO_ADMIN_CATALOG + qualified.substring(qualified.indexOf('.'));
  }

  private final StackSettings settings;
  private final CatalogConfig catalog;
  private final KafkaService kafka;
  private final PostgresService postgres;
  private final TrinoService trino;
  private final Set<Service> started = Collections.synchronizedSet(EnumSet.noneOf(Service.class));
  private final Map<Service, Duration> startupTimes =
      Collections.synchronizedMap(new EnumMap<>(Service.class));
  private final Thread shutdownHook;
  private volatile boolean closed;

  private EmbeddedStack(StackSettings settings) {
    this.settings = settings;
    this.catalog = CatalogConfig.load(settings);
    this.kafka = new KafkaService(settings);
    this.postgres = new PostgresService(settings, catalog, warehouse());
    this.trino = new TrinoService(settings, catalog, postgres.jdbcUrl(), warehouse());
    this.shutdownHook = new Thread(this::stopAll, "floe-stack-shutdown");
  }

  /**
   * Starts the services selected in the settings (Kafka and PostgreSQL in parallel, then Trino) and
   * waits until each is ready.
   *
   * @param settings the settings
   * @return the running stack
   * @throws dev.floe.infra.process.ServiceStartException naming the service that did not come up,
   *     with the tail of its log; everything already started is stopped again
   */
  public static EmbeddedStack start(StackSettings settings) {
    EmbeddedStack stack = new EmbeddedStack(settings);
    try {
      Files.createDirectories(settings.dataDir().resolve("logs"));
      Files.createDirectories(settings.dataDir().resolve("run"));
      Files.createDirectories(stack.warehousePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + settings.dataDir(), e);
    }
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.ensureStarted(settings.services());
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  /**
   * Starts the given services if they are not running yet (Trino brings PostgreSQL along).
   *
   * @param services the services needed
   */
  public synchronized void ensureStarted(Collection<Service> services) {
    if (closed) {
      throw new IllegalStateException("the stack is closed");
    }
    EnumSet<Service> wanted =
        services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
    if (wanted.contains(Service.TRINO)) {
      wanted.add(Service.POSTGRES);
    }
    long kafkaStart = System.nanoTime();
    boolean launchKafka = wanted.contains(Service.KAFKA) && !kafka.isRunning();
    boolean launchPostgres = wanted.contains(Service.POSTGRES) && !postgres.isRunning();
    if (launchKafka) {
      kafka.launch();
      started.add(Service.KAFKA);
    }
    if (launchPostgres) {
      postgres.launch();
      started.add(Service.POSTGRES);
      postgres.awaitReady();
      recordReady(Service.POSTGRES, kafkaStart);
    }
    long trinoStart = System.nanoTime();
    boolean launchTrino = wanted.contains(Service.TRINO) && !trino.isRunning();
    if (launchTrino) {
      // Trino takes longest; the broker comes up meanwhile.
      trino.launch();
      started.add(Service.TRINO);
    }
    if (launchKafka) {
      kafka.awaitReady();
      recordReady(Service.KAFKA, kafkaStart);
    }
    if (launchTrino) {
      trino.awaitReady();
      recordReady(Service.TRINO, trinoStart);
    }
  }

  /**
   * Starts the given services if they are not running yet.
   *
   * @param services the services needed
   */
  public void ensureStarted(Service... services) {
    ensureStarted(Arrays.asList(services));
  }

  private void recordReady(Service service, long sinceNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - sinceNanos);
    startupTimes.put(service, took);
    LOG.log(
        System.Logger.Level.INFO,
        () -> String.format("floe: %s ready in %.1f s", service, took.toMillis() / 1000.0));
  }

  /**
   * How long each service took from launch to ready in this stack (last start of each).
   *
   * @return service to duration
   */
  public Map<Service, Duration> startupTimes() {
    synchronized (startupTimes) {
      return Collections.unmodifiableMap(new EnumMap<>(startupTimes));
    }
  }

  /**
   * Whether a service is running now.
   *
   * @param service the service
   * @return true if its process is alive
   */
  public boolean isRunning(Service service) {
    return switch (service) {
      case KAFKA -> kafka.isRunning();
      case POSTGRES -> postgres.isRunning();
      case TRINO -> trino.isRunning();
    };
  }

  /**
   * The settings this stack runs with.
   *
   * @return the settings
   */
  public StackSettings settings() {
    return settings;
  }

  /**
   * Kafka bootstrap servers.
   *
   * @return {@code "127.0.0.1:<port>"}
   */
  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  /**
   * Creates a topic; an existing topic is left as it is. Returns once every partition has a leader.
   *
   * @param name the topic
   * @param partitions the partition count
   */
  public void createTopic(String name, int partitions) {
    kafka.createTopic(name, partitions);
  }

  /**
   * The platform topics created at start ({@code infra/kafka/topics.properties}).
   *
   * @return topic name to partition count
   */
  public Map<String, Integer> platformTopics() {
    return KafkaService.topics();
  }

  /**
   * The Iceberg catalog name that Flink and Trino share.
   *
   * @return {@code "floe"}
   */
  public String catalogName() {
    return catalog.catalogName();
  }

  /**
   * The Iceberg namespace of the lake.
   *
   * @return {@code "lake"}
   */
  public String catalogNamespace() {
    return catalog.namespace();
  }

  /**
   * JDBC URL of the catalog database.
   *
   * @return {@code "jdbc:postgresql://127.0.0.1:<port>/floe_catalog"}
   */
  public String catalogJdbcUrl() {
    return postgres.jdbcUrl();
  }

  /**
   * The catalog database user.
   *
   * @return the user
   */
  public String catalogUser() {
    return catalog.user();
  }

  /**
   * The catalog database password.
   *
   * @return the password
   */
  public String catalogPassword() {
    return catalog.password();
  }

  /**
   * The Iceberg warehouse location.
   *
   * @return {@code "file:///<dataDir>/warehouse"}
   */
  public String warehouse() {
    return "file://" + warehousePath().toAbsolutePath();
  }

  private Path warehousePath() {
    return settings.dataDir().resolve("warehouse");
  }

  /**
   * Properties for Iceberg's {@code CatalogUtil.buildIcebergCatalog(catalogName(), props, conf)} or
   * {@code JdbcCatalog.initialize}: catalog-impl, uri, jdbc.user, jdbc.password,
   * jdbc.schema-version=V1, warehouse.
   *
   * @return a new mutable map
   */
  public Map<String, String> catalogProperties() {
    return new LakeNames.CatalogConnection(
            catalogJdbcUrl(), catalogUser(), catalogPassword(), warehouse())
        .icebergProperties();
  }

  /**
   * Trino's HTTP address.
   *
   * @return {@code "http://127.0.0.1:<port>"}
   */
  public String trinoUri() {
    return trino.uri();
  }

  /**
   * Trino JDBC URL (connect as {@link #TRINO_ADMIN_USER} or {@link #TRINO_QUERY_USER}).
   *
   * @return {@code "jdbc:trino://127.0.0.1:<port>"}
   */
  public String trinoJdbcUrl() {
    return "jdbc:trino://127.0.0.1:" + settings.trinoPort();
  }

  /**
   * Root of the stack's data.
   *
   * @return the data directory
   */
  public Path dataDir() {
    return settings.dataDir();
  }

  /**
   * Where the components' logs are ({@code kafka.log}, {@code postgres.log}, {@code trino.log}).
   *
   * @return the log directory
   */
  public Path logDir() {
    return settings.dataDir().resolve("logs");
  }

  /**
   * Has a supervisor restart each platform service that dies from now on (a service stopped on
   * purpose, by {@link #stopKafka()} and the like, stays stopped). The supervisor must be closed
   * before this stack.
   *
   * @param supervisor the supervisor
   */
  public void supervise(Supervisor supervisor) {
    supervisor.watch("kafka", kafka::crashed, () -> ensureStarted(Service.KAFKA));
    supervisor.watch("postgres", postgres::crashed, () -> ensureStarted(Service.POSTGRES));
    supervisor.watch("trino", trino::crashed, () -> ensureStarted(Service.TRINO));
  }

  /**
   * The PostgreSQL server process itself (the postmaster), as opposed to the JVM that started it.
   *
   * @return the postmaster, when it runs
   */
  public java.util.Optional<ProcessHandle> postgresServer() {
    return PostgresService.postmaster(
        PostgresService.pgData(settings.dataDir()).resolve("postmaster.pid"));
  }

  /** Stops the Kafka broker, keeping its port and data (for outage tests). */
  public void stopKafka() {
    kafka.stop();
  }

  /**
   * Starts the Kafka broker again on the same port with the same data and waits until it is ready.
   */
  public void startKafka() {
    ensureStarted(Service.KAFKA);
  }

  /** Stops Trino, keeping its port (for outage tests). */
  public void stopTrino() {
    trino.stop();
  }

  /** Starts Trino again on the same port and waits until it is ready. */
  public void startTrino() {
    ensureStarted(Service.TRINO);
  }

  /** Stops PostgreSQL, keeping its port and data (for outage tests). */
  public void stopPostgres() {
    if (trino.isRunning()) {
      LOG.log(System.Logger.Level.INFO, "floe: stopping PostgreSQL while Trino runs");
    }
    postgres.stop();
  }

  /** Starts PostgreSQL again on the same port with the same data and waits until it is ready. */
  public void startPostgres() {
    ensureStarted(Service.POSTGRES);
  }

  /** Stops everything this stack started, in reverse order; no process of it is left running. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down; the hook is running or has run
    }
  }

  private synchronized void stopAll() {
    closed = true;
    RuntimeException failure = null;
    for (Runnable stop : List.<Runnable>of(trino::stop, kafka::stop, postgres::stop)) {
      try {
        stop.run();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Stops what a run left in a data directory, whoever started it: every process recorded in its
   * pid files (platform services and any later component, non-platform ones first) and an orphaned
   * postmaster; stale pid files are removed. Used by {@code floe stop}.
   *
   * @param dataDir the data directory of that run
   * @return names of the components that were still running
   */
  public static List<String> stopLeftovers(Path dataDir) {
    List<String> stopped = new java.util.ArrayList<>();
    for (String component : components(dataDir)) {
      PidFile pid = new PidFile(dataDir.resolve("run").resolve(component + ".pid"));
      if (pid.forceStopAndDelete(Duration.ofSeconds(60))) {
        stopped.add(component);
      }
    }
    if (PostgresService.stopOrphanedPostmaster(dataDir)) {
      stopped.add("postgres (postmaster)");
    }
    return stopped;
  }

  /**
   * The state of each component recorded in a data directory: "running (pid N)" or "stopped".
   *
   * @param dataDir the data directory
   * @return component to state
   */
  public static Map<String, String> status(Path dataDir) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> components = new java.util.ArrayList<>(components(dataDir));
    java.util.Collections.reverse(components);
    for (String component : components) {
      out.put(
          component,
          new PidFile(dataDir.resolve("run").resolve(component + ".pid"))
              .liveProcess()
              .map(h -> "running (pid " + h.pid() + ")")
              .orElse("stopped"));
    }
    if ("stopped".equals(out.get("postgres"))) {
      PostgresService.postmaster(PostgresService.pgData(dataDir).resolve("postmaster.pid"))
          .ifPresent(
              h ->
                  out.put(
                      "postgres",
                      "orphaned postmaster running (pid " + h.pid() + "); ./floe stop stops it"));
    }
    return out;
  }

  /** Components with a pid file or a platform service, in stop order (later components first). */
  private static List<String> components(Path dataDir) {
    List<String> platform = List.of("trino", "kafka", "postgres");
    List<String> out = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(dataDir.resolve("run"))) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - 4))
          .filter(n -> !platform.contains(n))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      // no run directory: nothing but the platform to report
    }
    out.addAll(platform);
    return out;
  }
}
