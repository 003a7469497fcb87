package dev.floe.infra;

import dev.floe.infra.process.ServiceStartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@link EmbeddedStack} per JVM for tests: started lazily on free ports, with its data under
 * {@code target/floe-stack/<pid>} (or {@code java.io.tmpdir} outside a Maven module), extended when
 * a later test needs a service that is not running yet, and stopped by a JVM shutdown hook. Tests
 * share it and give themselves unique topic and table names.
 */
public final class SharedStack {

  private static EmbeddedStack stack;
  private static java.util.function.UnaryOperator<StackSettings.Builder> customization = b -> b;

  private SharedStack() {}

  /**
   * Changes the settings of the stack this JVM will start (Trino's catalog type, say); only before
   * the first {@link #get}: a running stack keeps its settings.
   *
   * @param customize applied to the test settings before the stack starts
   * @throws IllegalStateException when the stack already runs
   */
  public static synchronized void configure(
      java.util.function.UnaryOperator<StackSettings.Builder> customize) {
    if (stack != null) {
      throw new IllegalStateException("the shared stack already runs with its settings");
    }
    customization = customize;
  }

  /**
   * The JVM's shared stack with at least the given services running.
   *
   * @param needed the services the caller needs; none means all
   * @return the running stack
   */
  public static synchronized EmbeddedStack get(Service... needed) {
    EnumSet<Service> services =
        needed.length == 0 ? EnumSet.allOf(Service.class) : EnumSet.copyOf(Arrays.asList(needed));
    if (stack == null) {
      Path dir = baseDir();
      cleanDeadRuns(dir);
      Path dataDir = dir.resolve(Long.toString(ProcessHandle.current().pid()));
      TrinoDistribution.deleteRecursively(dataDir);
      stack =
          EmbeddedStack.start(
              customization
                  .apply(StackSettings.forTests(dataDir).toBuilder().services(services))
                  .build());
    } else {
      stack.ensureStarted(services);
    }
    return stack;
  }

  /**
   * Starts on free ports; when another process grabs one of them between the pick and the bind
   * (other test JVMs run on this machine too), starts again on new ports.
   */
  private static EmbeddedStack startWithFreshPorts(Path dataDir, EnumSet<Service> services) {
    for (int attempt = 1; ; attempt++) {
      TrinoDistribution.deleteRecursively(dataDir);
      try {
        return EmbeddedStack.start(
            StackSettings.forTests(dataDir).toBuilder().services(services).build());
      } catch (ServiceStartException e) {
        String m = String.valueOf(e.getMessage());
        boolean portTaken = m.contains("already in use") || m.contains("Address already in use");
        if (!portTaken || attempt == 3) {
          throw e;
        }
      }
    }
  }

  private static Path baseDir() {
    Path target = Path.of("target");
    return Files.isDirectory(target)
        ? target.toAbsolutePath().resolve("floe-stack")
        : Path.of(System.getProperty("java.io.tmpdir"), "floe-stack");
  }

  /** Removes stacks of earlier test JVMs that are gone, stopping anything they left running. */
  private static void cleanDeadRuns(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> runs;
    try (Stream<Path> list = Files.list(dir)) {
      runs = list.toList();
    } catch (IOException e) {
      return;
    }
    for (Path run : runs) {
      String name = run.getFileName().toString();
      if (!name.matches("\\d+")) {
        continue;
      }
      boolean alive =
          ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        EmbeddedStack.stopLeftovers(run);
        TrinoDistribution.deleteRecursively(run);
      }
    }
  }
}
