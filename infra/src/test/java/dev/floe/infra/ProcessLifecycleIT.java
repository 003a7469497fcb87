package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.infra.cli.PlatformCli;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.ServiceStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;

/**
 * What a user sees around crashes: a run whose JVM is killed with SIGKILL leaves no process behind
 * (the children notice and stop), the next run on the same data directory starts and still has the
 * catalog's tables, and a run stopped like Ctrl-C (SIGINT) stops every process it started.
 */
class ProcessLifecycleIT {

  private final List<Process> clis = new java.util.ArrayList<>();

  private final Path dataDir =
      Path.of("target", "floe-lifecycle-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  void aKilledRunLeavesNothingAndTheNextRunReusesItsData() throws Exception {
    StackSettings settings =
        StackSettings.forTests(dataDir).toBuilder()
            .services(Service.KAFKA, Service.POSTGRES)
            .build();

    Process first = startCli(settings);
    awaitOutput(first, "Floe is up");
    List<ProcessHandle> children = first.toHandle().children().toList();
    assertThat(children).hasSizeGreaterThanOrEqualTo(2);
    createTable(settings, "survivor");

    first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook of the CLI runs
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    awaitNoStackProcess();

    Process second = startCli(settings);
    awaitOutput(second, "Floe is up");
    assertThat(tableExists(settings, "survivor")).isTrue();

    // a second stack on the same data directory is refused and leaves the running one intact
    StackSettings other =
        StackSettings.forTests(dataDir).toBuilder()
            .services(Service.KAFKA, Service.POSTGRES)
            .build();
    assertThatThrownBy(() -> EmbeddedStack.start(other).close())
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("still running");
    assertThat(tableExists(settings, "survivor")).isTrue();
    assertThat(EmbeddedStack.status(dataDir).get("kafka")).startsWith("running");
    assertThat(EmbeddedStack.status(dataDir).get("postgres")).startsWith("running");

    // Ctrl-C of ./floe up
    new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).start().waitFor();
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    awaitNoStackProcess();
    assertThat(EmbeddedStack.status(dataDir).values()).containsOnly("stopped");
  }

  /** A failed assertion must not leave a CLI (and its stack) running after this test JVM. */
  @org.junit.jupiter.api.AfterEach
  void stopClis() throws Exception {
    for (Process cli : clis) {
      if (cli.isAlive()) {
        cli.destroy();
        cli.waitFor(120, TimeUnit.SECONDS);
      }
    }
    EmbeddedStack.stopLeftovers(dataDir);
  }

  private Process startCli(StackSettings s) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(defaultSigint());
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            // as ./floe platform runs it: infra's classes and its runtime classpath
            Platform.ownCodeLocation()
                + java.io.File.pathSeparator
                + Files.readString(Path.of("target", "classpath.txt")).trim(),
            PlatformCli.class.getName(),
            "up"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("FLOE_DATA_DIR", dataDir.toString());
    env.put("FLOE_SERVICES", "kafka,postgres");
    env.put("FLOE_KAFKA_PORT", Integer.toString(s.kafkaPort()));
    env.put("FLOE_KAFKA_CONTROLLER_PORT", Integer.toString(s.kafkaControllerPort()));
    env.put("FLOE_POSTGRES_PORT", Integer.toString(s.postgresPort()));
    env.put("FLOE_TRINO_PORT", Integer.toString(s.trinoPort()));
    env.put("FLOE_CACHE_DIR", s.cacheDir().toString());
    pb.redirectOutput(dataDir.resolve("cli.out").toFile());
    Files.createDirectories(dataDir);
    Files.deleteIfExists(dataDir.resolve("cli.out"));
    Process cli = pb.start();
    clis.add(cli);
    return cli;
  }

  /**
   * A build started in the background (nohup, a CI runner without a terminal) hands SIGINT down
   * ignored, and a JVM started with SIGINT ignored keeps ignoring it, so the Ctrl-C below would not
   * reach the CLI. On a terminal it would: coreutils' env resets it to the default where it can.
   */
  private static List<String> defaultSigint() throws Exception {
    List<String> env = List.of("env", "--default-signal=INT");
    try {
      Process probe = new ProcessBuilder(concat(env, List.of("true"))).start();
      if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
        return env;
      }
    } catch (java.io.IOException e) {
      // no such env: the signal stays as the build got it
    }
    return List.of();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private void awaitOutput(Process cli, String text) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    Path out = dataDir.resolve("cli.out");
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(out) && Files.readString(out).contains(text)) {
        return;
      }
      if (!cli.isAlive()) {
        throw new AssertionError("floe up exited early:\n" + Files.readString(out));
      }
      cli.waitFor(250, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("floe up did not print '" + text + "':\n" + Processes.tail(out, 40));
  }

  /** No process whose command line points into this test's data directory may remain. */
  private void awaitNoStackProcess() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    List<String> left = stackProcesses();
    while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
      ProcessHandle.of(Long.parseLong(left.get(0).split(" ", 2)[0]))
          .ifPresent(h -> Processes.awaitExit(h, Duration.ofMillis(500)));
      left = stackProcesses();
    }
    assertThat(left).as("stack processes still running").isEmpty();
  }

  private List<String> stackProcesses() {
    String marker = dataDir.toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
        .filter(line -> line.contains(marker))
        .toList();
  }

  private static JdbcCatalog catalog(StackSettings s) {
    CatalogConfig c = CatalogConfig.load(s);
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.initialize(
        c.catalogName(),
        Map.of(
            "uri",
            "jdbc:postgresql://127.0.0.1:" + s.postgresPort() + "/" + c.database(),
            "jdbc.user",
            c.user(),
            "jdbc.password",
            c.password(),
            "jdbc.schema-version",
            "V1",
            "warehouse",
            "file://" + s.dataDir().resolve("warehouse"),
            "io-impl",
            "org.apache.iceberg.inmemory.InMemoryFileIO"));
    return catalog;
  }

  private static void createTable(StackSettings s, String name) throws Exception {
    try (JdbcCatalog catalog = catalog(s)) {
      catalog.createTable(
          TableIdentifier.of(Namespace.of("lake"), name),
          new org.apache.iceberg.Schema(
              org.apache.iceberg.types.Types.NestedField.required(
                  1, "id", org.apache.iceberg.types.Types.LongType.get())));
    }
  }

  private static boolean tableExists(StackSettings s, String name) throws Exception {
    try (JdbcCatalog catalog = catalog(s)) {
      return catalog.tableExists(TableIdentifier.of(Namespace.of("lake"), name));
    }
  }
}
