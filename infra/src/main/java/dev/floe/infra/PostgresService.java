package dev.floe.infra;

import dev.floe.contract.LakeNames;
import dev.floe.infra.child.ChildMain;
import dev.floe.infra.child.PostgresMain;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.SupervisedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The PostgreSQL child JVM (zonky embedded PostgreSQL) holding the Iceberg JDBC catalog. */
final class PostgresService {

  private final StackSettings settings;
  private final CatalogConfig catalog;
  private final String warehouse;
  private final Path pgData;
  private final Path logFile;
  private final Path pidFile;
  private final Path readyFile;
  private SupervisedProcess process;

  PostgresService(StackSettings settings, CatalogConfig catalog, String warehouse) {
    this.settings = settings;
    this.catalog = catalog;
    this.warehouse = warehouse;
    this.pgData = pgData(settings.dataDir());
    this.logFile = settings.dataDir().resolve("logs").resolve("postgres.log");
    this.pidFile = settings.dataDir().resolve("run").resolve("postgres.pid");
    this.readyFile = settings.dataDir().resolve("run").resolve("postgres.ready");
  }

  static Path pgData(Path dataDir) {
    return dataDir.resolve("postgres").resolve("data");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/" + catalog.database();
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Died without {@link #stop()}: the process this instance launched is gone. */
  boolean crashed() {
    return process != null && !process.isAlive();
  }

  synchronized void launch() {
    if (isRunning()) {
      return;
    }
    new PidFile(pidFile).stopLeftoverAndDelete(Duration.ofSeconds(60));
    stopOrphanedPostmaster(settings.dataDir());
    Processes.requireFree("PostgreSQL", settings.postgresPort(), "FLOE_POSTGRES_PORT");
    Platform.deleteIfExists(readyFile);
    List<String> cmd =
        Platform.childJavaCommand("postgres", settings.dataDir(), List.of("-Xmx256m"));
    cmd.addAll(
        List.of(
            ChildMain.class.getName(),
            PostgresMain.class.getName(),
            Integer.toString(settings.postgresPort()),
            pgData.toString(),
            settings.cacheDir().resolve("postgres").toString(),
            catalog.database(),
            catalog.user(),
            catalog.catalogName(),
            warehouse,
            catalog.namespace(),
            readyFile.toString()));
    process =
        SupervisedProcess.builder("postgres")
            .displayName("PostgreSQL catalog (port " + settings.postgresPort() + ")")
            .command(cmd)
            .env(
                Map.of(
                    "FLOE_CATALOG_PASSWORD",
                    catalog.password(),
                    PostgresMain.CATALOG_PROPERTIES,
                    PostgresMain.encode(
                        new LakeNames.CatalogConnection(
                                jdbcUrl(), catalog.user(), catalog.password(), warehouse)
                            .icebergProperties())))
            .workDir(settings.dataDir().resolve("postgres"))
            .logFile(logFile)
            .pidFile(pidFile)
            .readiness(() -> Files.isRegularFile(readyFile))
            .startTimeout(settings.startTimeout())
            // zonky's shutdown hook runs pg_ctl stop; SIGKILL before it finishes would orphan
            // postgres
            .stopTimeout(Duration.ofSeconds(60))
            .start();
  }

  void awaitReady() {
    process.awaitReady();
  }

  /**
   * Stops the PostgreSQL JVM this instance launched (its shutdown hook stops postgres), then a
   * postmaster that survived it; never touches a database another run owns.
   */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.stop();
    process = null;
    stopOrphanedPostmaster(settings.dataDir());
    Platform.deleteIfExists(readyFile);
  }

  /**
   * Stops a postmaster still running on our data directory (its JVM was killed before zonky's
   * shutdown hook could stop it) and removes a stale postmaster.pid.
   *
   * @return true if a running postmaster was stopped
   */
  static boolean stopOrphanedPostmaster(Path dataDir) {
    Path pidFile = pgData(dataDir).resolve("postmaster.pid");
    Optional<ProcessHandle> postmaster = postmaster(pidFile);
    postmaster.ifPresent(h -> Processes.terminate(h, Duration.ofSeconds(60)));
    if (Files.isRegularFile(pidFile) && postmaster(pidFile).isEmpty()) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postmaster.isPresent();
  }

  /** The live postmaster recorded in the data directory's postmaster.pid, if any. */
  static Optional<ProcessHandle> postmaster(Path postmasterPid) {
    try {
      if (!Files.isRegularFile(postmasterPid)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(postmasterPid);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
