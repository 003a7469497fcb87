package dev.floe.infra.cli;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.StackSettings;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./floe platform}: the platform alone (Kafka, PostgreSQL with the Iceberg catalog, Trino),
 * for developing a module against it; {@code ./floe up} runs the whole lake ({@code
 * dev.floe.lake.LakeCli}). Commands: {@code up} (start the platform in the foreground, print the
 * endpoints, stop it on Ctrl-C), {@code stop} (stop what a killed run left, through the pid files),
 * {@code status}. Settings come from the environment (see {@link StackSettings#fromEnvironment()}).
 */
public final class PlatformCli {

  // Held so the level set below is not lost to garbage collection of the logger.
  private static final java.util.logging.Logger STACK_LOG =
      java.util.logging.Logger.getLogger("dev.floe.infra");

  private PlatformCli() {}

  /**
   * Runs a command.
   *
   * @param args the command and its arguments
   */
  public static void main(String[] args) {
    // The CLI prints start-up times itself; the stack's INFO log would repeat them.
    STACK_LOG.setLevel(java.util.logging.Level.WARNING);
    String command = args.length == 0 ? "help" : args[0];
    int code;
    try {
      code =
          switch (command) {
            case "up" -> up(StackSettings.fromEnvironment());
            case "stop" -> stop(StackSettings.fromEnvironment(), System.out);
            case "status" -> status(StackSettings.fromEnvironment(), System.out);
            default -> usage();
          };
    } catch (RuntimeException e) {
      System.err.println("floe: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static int up(StackSettings settings) {
    AtomicReference<EmbeddedStack> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              System.out.println("floe: stopping...");
              EmbeddedStack stack = running.getAndSet(null);
              if (stack != null) {
                stack.close();
              }
              System.out.println("floe: stopped, nothing left running");
              stopped.countDown();
            },
            "floe-platform-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("floe: starting in " + settings.dataDir());
    EmbeddedStack stack;
    try {
      stack = EmbeddedStack.start(settings);
    } catch (RuntimeException e) {
      System.err.println("floe: " + e.getMessage());
      return 1;
    }
    running.set(stack);
    stack
        .startupTimes()
        .forEach(
            (service, took) ->
                System.out.printf(
                    "floe: %-8s ready in %5.1f s%n", service, took.toMillis() / 1000.0));
    System.out.println();
    System.out.println("Floe is up. Endpoints:");
    endpoints(stack).forEach((name, value) -> System.out.printf("  %-24s %s%n", name, value));
    System.out.println();
    System.out.println("Press Ctrl-C to stop everything.");
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static Map<String, String> endpoints(EmbeddedStack stack) {
    Map<String, String> out = new LinkedHashMap<>();
    if (stack.settings().services().contains(Service.KAFKA)) {
      out.put("Kafka bootstrap servers", stack.kafkaBootstrapServers());
      out.put("Kafka topics", String.join(", ", stack.platformTopics().keySet()));
    }
    if (stack.settings().services().contains(Service.POSTGRES)) {
      out.put(
          "Iceberg catalog",
          stack.catalogName()
              + " @ "
              + stack.catalogJdbcUrl()
              + " (user "
              + stack.catalogUser()
              + ")");
      out.put("Warehouse", stack.warehouse());
    }
    if (stack.settings().services().contains(Service.TRINO)) {
      out.put("Trino", stack.trinoUri() + "  (JDBC " + stack.trinoJdbcUrl() + ")");
      out.put(
          "Trino users",
          EmbeddedStack.TRINO_ADMIN_USER
              + " (all), "
              + EmbeddedStack.TRINO_QUERY_USER
              + " (read-only)");
    }
    out.put("Logs", stack.logDir().toString());
    return out;
  }

  static int stop(StackSettings settings, PrintStream out) {
    List<String> stopped = EmbeddedStack.stopLeftovers(settings.dataDir());
    out.println(
        stopped.isEmpty()
            ? "floe: nothing was running in " + settings.dataDir()
            : "floe: stopped " + String.join(", ", stopped));
    return 0;
  }

  static int status(StackSettings settings, PrintStream out) {
    out.println("floe: data directory " + settings.dataDir());
    EmbeddedStack.status(settings.dataDir())
        .forEach((component, state) -> out.printf("  %-10s %s%n", component, state));
    return 0;
  }

  private static int usage() {
    System.out.println(
        "usage: floe platform [up | stop | status]\n"
            + "  up      start the platform (Kafka, PostgreSQL catalog, Trino) in the foreground; Ctrl-C stops it\n"
            + "  stop    stop what a killed run left running (from the pid files in $FLOE_DATA_DIR/run)\n"
            + "  status  show each component's state");
    return 2;
  }
}
