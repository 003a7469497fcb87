package dev.floe.lake;

import dev.floe.contract.Exposure;
import dev.floe.contract.LakeNames;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.ServiceStartException;
import dev.floe.infra.process.SupervisedProcess;
import dev.floe.infra.process.Supervisor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The whole lake on one machine, started in dependency order with a readiness check each:
 *
 * <pre>
 *  platform (Kafka, PostgreSQL + Iceberg catalog, Trino)        EmbeddedStack
 *    -> catalog-service  (fast-jar) the Iceberg REST catalog on catalogPort (needs PostgreSQL only)
 *    -> flink-job      child JVM: FloeJobMain on a local MiniCluster, REST on flinkRestPort,
 *                      resumes from the newest retained checkpoint in dataDir/flink/checkpoints
 *    -> producer-N     N producer-service replicas (fast-jar), generator at generatorRate
 *       query-service  (fast-jar) on queryPort; started together with the producers
 *    -> console        (fast-jar) on consolePort; started last, since it only reads the others
 * </pre>
 *
 * <p>{@link ComponentLauncher} starts each one as a child JVM, with the environment of {@link
 * ComponentEnvironment}; this class decides the order, keeps the processes, restarts them under
 * supervision and stops them.
 *
 * <p>{@link #close()} stops them in reverse order (SIGTERM, SIGKILL after a deadline); all data
 * stay in the data directory, so the next start resumes where this one stopped. Every component
 * logs to {@code <dataDir>/logs/<component>.log} and records its pid in {@code <dataDir>/run}.
 */
public final class Lake implements AutoCloseable {

  /** Component name of the Flink job (log and pid file name). */
  public static final String FLINK_JOB = "flink-job";

  /** Component name of the query-service. */
  public static final String QUERY_SERVICE = "query-service";

  /** Component name of the Iceberg REST catalog service. */
  public static final String CATALOG_SERVICE = "catalog-service";

  /** Component name of the console. */
  public static final String CONSOLE = "console";

  /** Pid file name (without .pid) of the launcher itself. */
  public static final String LAUNCHER = "lake";

  /** Consumer group of the Flink job's Kafka source (the job's default). */
  public static final String JOB_GROUP_ID = LakeNames.JOB_GROUP_ID;

  /** What the platform and the job bind, whatever {@link LakeSettings#listenAddress()} says. */
  private static final String LOOPBACK = Exposure.LOOPBACK;

  private final LakeSettings settings;
  private final Artifacts artifacts;
  private final ComponentLauncher launcher;
  private final Consumer<String> progress;
  private volatile EmbeddedStack stack;
  private volatile SupervisedProcess flinkJob;
  private final List<SupervisedProcess> producers = new CopyOnWriteArrayList<>();
  private volatile SupervisedProcess queryService;
  private volatile Supervisor supervisor;
  private final Object jobLock = new Object();
  private volatile boolean jobStoppedOnPurpose;
  private volatile Integer jobParallelism;
  private volatile SupervisedProcess console;
  private volatile int consolePort;
  private volatile SupervisedProcess catalogService;
  private volatile int catalogPort;
  private boolean closed;

  private Lake(LakeSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.artifacts = new Artifacts(settings.home());
    this.launcher = new ComponentLauncher(settings, artifacts);
    this.progress = progress;
  }

  /**
   * Starts every component and waits until each is ready.
   *
   * @param settings the settings
   * @param progress receives one line per step, e.g. for the terminal
   * @return the running lake
   * @throws ServiceStartException naming the component that did not come up, with its log tail;
   *     whatever was already started is stopped again
   * @throws IllegalStateException when a build output is missing or another launcher runs on the
   *     same data directory
   */
  public static Lake start(LakeSettings settings, Consumer<String> progress) {
    Lake lake = new Lake(settings, progress);
    lake.artifacts.requireBuilt();
    lake.claimDataDir();
    try {
      lake.startAll();
    } catch (RuntimeException | Error e) {
      lake.close();
      throw e;
    }
    return lake;
  }

  private void claimDataDir() {
    PidFile launcher = launcherPidFile(settings.dataDir());
    launcher
        .liveProcess()
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .ifPresent(
            h -> {
              throw new IllegalStateException(
                  "a lake is already running on "
                      + settings.dataDir()
                      + " (pid "
                      + h.pid()
                      + "); stop it first with ./floe stop, or use another FLOE_DATA_DIR");
            });
    launcher.write(ProcessHandle.current());
    Supervisor.clear(settings.dataDir().resolve("run"));
  }

  static PidFile launcherPidFile(Path dataDir) {
    return new PidFile(dataDir.resolve("run").resolve(LAUNCHER + ".pid"));
  }

  private void startAll() {
    long t0 = System.nanoTime();
    progress.accept("floe: starting the platform (Kafka, PostgreSQL + Iceberg catalog, Trino)...");
    stack = EmbeddedStack.start(settings.stack());
    progress.accept(
        String.format(
            Locale.ROOT,
            "floe: platform ready in %.1f s (Kafka %s, Trino %s)",
            seconds(t0),
            stack.kafkaBootstrapServers(),
            stack.trinoUri()));

    launchCatalogService();

    long t1 = System.nanoTime();
    progress.accept("floe: starting the Flink job (local MiniCluster)...");
    flinkJob = launchFlinkJob();
    flinkJob.awaitReady();
    progress.accept(
        String.format(
            Locale.ROOT,
            "floe: Flink job running in %.1f s (REST %s)",
            seconds(t1),
            flinkRestUrl()));

    // Producers need only Kafka and the query-service only Trino, both ready by now: they start
    // together, which saves a Quarkus start-up on the way to the first queryable event.
    long t2 = System.nanoTime();
    progress.accept(
        "floe: starting "
            + settings.producerPorts().size()
            + " producer-service replica(s) and the query-service...");
    for (int i = 0; i < settings.producerPorts().size(); i++) {
      producers.add(launchProducer(i));
    }
    queryService = launchQueryService();
    producers.forEach(SupervisedProcess::awaitReady);
    progress.accept(
        String.format(
            Locale.ROOT, "floe: producer-service ready in %.1f s %s", seconds(t2), producerUrls()));
    queryService.awaitReady();
    progress.accept(
        String.format(
            Locale.ROOT, "floe: query-service ready in %.1f s (%s)", seconds(t2), queryUrl()));
    launchConsole();
    RuntimeInfo.write(settings.dataDir(), runtimeInfo());
    if (settings.supervise()) {
      supervise();
    }
  }

  /**
   * From now on a component that dies is restarted with a backoff ({@link Supervisor}): the
   * platform services, the job (which resumes from its newest retained checkpoint), every producer
   * replica, the query-service and the console. Restarts are logged through the progress consumer
   * and counted in {@code <dataDir>/run/<component>.restarts}, which {@code ./floe status} shows.
   */
  private void supervise() {
    supervisor =
        new Supervisor(settings.dataDir().resolve("run"), Supervisor.Policy.DEFAULT, progress);
    stack.supervise(supervisor);
    supervisor.watch(
        FLINK_JOB, () -> !jobStoppedOnPurpose && !flinkJob.isAlive(), this::restartFlinkJob);
    for (int i = 0; i < producers.size(); i++) {
      int index = i;
      supervisor.watch(
          producerName(i),
          () -> !producers.get(index).isAlive(),
          () -> {
            SupervisedProcess p = launchProducer(index);
            producers.set(index, p);
            p.awaitReady();
          });
    }
    supervisor.watch(
        QUERY_SERVICE,
        () -> !queryService.isAlive(),
        () -> {
          queryService = launchQueryService();
          queryService.awaitReady();
        });
    supervisor.watch(
        CATALOG_SERVICE,
        () -> !catalogService.isAlive(),
        () -> {
          catalogService = launchCatalogServiceProcess();
          catalogService.awaitReady();
        });
    supervisor.watch(
        CONSOLE,
        () -> !console.isAlive(),
        () -> {
          console = launchConsoleProcess();
          console.awaitReady();
        });
  }

  private void restartFlinkJob() {
    SupervisedProcess job;
    synchronized (jobLock) {
      if (flinkJob.isAlive()) {
        return;
      }
      job = launchFlinkJob();
      flinkJob = job;
    }
    job.awaitReady();
  }

  /**
   * Stops the Flink job (SIGTERM; its checkpoints are retained) and starts it again at another
   * parallelism; it resumes from its newest retained checkpoint, its state redistributed. Returns
   * once the job runs.
   *
   * @param parallelism the new parallelism
   */
  public void rescaleFlinkJob(int parallelism) {
    SupervisedProcess job;
    synchronized (jobLock) {
      jobStoppedOnPurpose = true;
      try {
        flinkJob.stop();
        jobParallelism = parallelism;
        job = launchFlinkJob();
        flinkJob = job;
      } finally {
        jobStoppedOnPurpose = false;
      }
    }
    job.awaitReady();
  }

  /**
   * Stops the Flink job (SIGTERM; its checkpoints are retained), runs an action while it is down,
   * and starts it again; it resumes from its newest retained checkpoint. Returns once the job runs.
   * For operations that need the job stopped but the platform up.
   *
   * @param whileStopped what to do while the job is down
   */
  public void restartFlinkJob(Runnable whileStopped) {
    SupervisedProcess job;
    synchronized (jobLock) {
      jobStoppedOnPurpose = true;
      try {
        flinkJob.stop();
        whileStopped.run();
        job = launchFlinkJob();
        flinkJob = job;
      } finally {
        jobStoppedOnPurpose = false;
      }
    }
    job.awaitReady();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** Where the job keeps its checkpoints, under the data directory. */
  static Path checkpointDir(Path dataDir) {
    return dataDir.resolve("flink").resolve("checkpoints").toAbsolutePath();
  }

  /**
   * The component name of a producer replica.
   *
   * @param index 0-based replica index
   * @return {@code producer-1}, {@code producer-2}, ...
   */
  public static String producerName(int index) {
    return "producer-" + (index + 1);
  }

  /**
   * The Iceberg REST catalog in front of the lake's JDBC catalog, for other engines (and for Trino
   * with FLOE_TRINO_CATALOG_TYPE=rest); it needs only PostgreSQL, so it starts right after the
   * platform. Writes through it stay closed unless FLOE_CATALOG_ADMIN_TOKEN reaches it from the
   * environment.
   */
  private void launchCatalogService() {
    long t0 = System.nanoTime();
    catalogService = launchCatalogServiceProcess();
    catalogService.awaitReady();
    progress.accept(
        String.format(
            Locale.ROOT,
            "floe: catalog-service ready in %.1f s (%s, Iceberg REST catalog)",
            seconds(t0),
            catalogUrl()));
  }

  private SupervisedProcess launchCatalogServiceProcess() {
    if (catalogPort == 0) {
      catalogPort = settings.catalogPort() == 0 ? Processes.freePort() : settings.catalogPort();
    }
    return launcher.catalogService(stack, catalogPort);
  }

  /**
   * Base URL of the Iceberg REST catalog.
   *
   * @return e.g. {@code http://127.0.0.1:8181}
   */
  public String catalogUrl() {
    return "http://" + settings.localHost() + ":" + catalogPort;
  }

  /**
   * The console (page and JSON API), pointed at this lake's producers, job, Kafka and
   * query-service; started last, since it only reads them.
   */
  private void launchConsole() {
    long t0 = System.nanoTime();
    console = launchConsoleProcess();
    console.awaitReady();
    progress.accept(
        String.format(
            Locale.ROOT, "floe: console ready in %.1f s (%s)", seconds(t0), consoleUrl()));
  }

  private SupervisedProcess launchConsoleProcess() {
    if (consolePort == 0) {
      consolePort = settings.consolePort() == 0 ? Processes.freePort() : settings.consolePort();
    }
    return launcher.console(stack, consolePort, producerUrls(), flinkRestUrl(), queryUrl());
  }

  private SupervisedProcess launchFlinkJob() {
    int parallelism = jobParallelism != null ? jobParallelism : settings.jobParallelism();
    return launcher.flinkJob(stack, parallelism, flinkRestUrl());
  }

  private SupervisedProcess launchProducer(int index) {
    return launcher.producer(stack, index);
  }

  private SupervisedProcess launchQueryService() {
    return launcher.queryService(stack);
  }

  /**
   * Base URL of the console.
   *
   * @return e.g. {@code http://127.0.0.1:8090}
   */
  public String consoleUrl() {
    return "http://" + settings.localHost() + ":" + consolePort;
  }

  /**
   * The addresses of this run, as written to {@code <dataDir>/run/lake.properties}.
   *
   * @return the runtime info
   */
  public RuntimeInfo runtimeInfo() {
    return new RuntimeInfo(
        stack.kafkaBootstrapServers(),
        stack.trinoJdbcUrl(),
        flinkRestUrl(),
        producerUrls(),
        queryUrl(),
        JOB_GROUP_ID,
        checkpointDir(settings.dataDir()).toString());
  }

  /**
   * The running platform.
   *
   * @return the stack
   */
  public EmbeddedStack stack() {
    return stack;
  }

  /**
   * The settings of this run.
   *
   * @return the settings
   */
  public LakeSettings settings() {
    return settings;
  }

  /**
   * Base URL of each producer-service replica.
   *
   * @return e.g. {@code [http://127.0.0.1:8080]}
   */
  public List<String> producerUrls() {
    return settings.producerPorts().stream()
        .map(p -> "http://" + settings.localHost() + ":" + p)
        .toList();
  }

  /**
   * Base URL of the query-service.
   *
   * @return e.g. {@code http://127.0.0.1:8081}
   */
  public String queryUrl() {
    return "http://" + settings.localHost() + ":" + settings.queryPort();
  }

  /**
   * Base URL of the Flink MiniCluster's REST API (and web UI).
   *
   * @return e.g. {@code http://127.0.0.1:8089}
   */
  public String flinkRestUrl() {
    return "http://" + LOOPBACK + ":" + settings.flinkRestPort();
  }

  /**
   * Stops every component in reverse start order; each gets SIGTERM, then SIGKILL after its
   * deadline. Data stay. Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (supervisor != null) {
      // components stopped from here on stay stopped
      supervisor.close();
    }
    RuntimeException failure = null;
    List<Runnable> steps = new ArrayList<>();
    if (console != null) {
      steps.add(stopping(CONSOLE, console::stop));
    }
    if (queryService != null) {
      steps.add(stopping(QUERY_SERVICE, queryService::stop));
    }
    if (!producers.isEmpty()) {
      // replicas are independent: stop them together
      steps.add(
          stopping(
              "producer-service",
              () ->
                  producers.stream()
                      .map(p -> new Thread(p::stop, "stop-" + p.name()))
                      .peek(Thread::start)
                      .toList()
                      .forEach(Lake::join)));
    }
    if (flinkJob != null) {
      steps.add(stopping(FLINK_JOB, flinkJob::stop));
    }
    if (catalogService != null) {
      steps.add(stopping(CATALOG_SERVICE, catalogService::stop));
    }
    if (stack != null) {
      steps.add(stopping("platform", stack::close));
    }
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    PidFile launcher = launcherPidFile(settings.dataDir());
    launcher
        .liveProcess()
        .filter(h -> h.pid() == ProcessHandle.current().pid())
        .ifPresent(h -> launcher.delete());
    RuntimeInfo.delete(settings.dataDir());
    if (failure != null) {
      throw failure;
    }
  }

  private Runnable stopping(String what, Runnable stop) {
    return () -> {
      progress.accept("floe: stopping " + what + "...");
      stop.run();
    };
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
