package dev.floe.infra.cli;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.StackSettings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code floe} command: {@code up} (start every component in the foreground, print the
 * endpoints, stop all on Ctrl-C), {@code stop} (stop what a killed run left, through the pid
 * files), {@code status}. Settings come from the environment (see {@link
 * StackSettings#fromEnvironment()}).
 */
public final class FloeCli {

  // Held so the level set below is not lost to garbage collection of the logger.
  private static final java.util.logging.Logger STACK_LOG =
      java.util.logging.Logger.getLogger("dev.floe.infra");

  private FloeCli() {}

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
            case "up" -> up(StackSettings.fromEnvironment(), components());
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

  /**
   * The components {@code floe up} starts, in order. Later issues add the Flink job and the
   * services here.
   *
   * @return new component instances
   */
  static List<Component> components() {
    return List.of(new PlatformComponent());
  }

  static int up(StackSettings settings, List<Component> components) {
    CliContext context = new CliContext(settings, System.getenv());
    List<Component> started = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              System.out.println("floe: stopping...");
              stopAll(started);
              System.out.println("floe: stopped, nothing left running");
              stopped.countDown();
            },
            "floe-cli-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("floe: starting in " + settings.dataDir());
    try {
      for (Component c : components) {
        synchronized (started) {
          started.add(c);
        }
        c.start(context);
      }
    } catch (Exception e) {
      System.err.println("floe: " + e.getMessage());
      return 1; // the shutdown hook stops what was started
    }
    System.out.println();
    System.out.println("Floe is up. Endpoints:");
    for (Component c : components) {
      for (Map.Entry<String, String> e : c.endpoints().entrySet()) {
        System.out.printf("  %-24s %s%n", e.getKey(), e.getValue());
      }
    }
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

  private static void stopAll(List<Component> started) {
    List<Component> reverse;
    synchronized (started) {
      reverse = new ArrayList<>(started);
    }
    java.util.Collections.reverse(reverse);
    for (Component c : reverse) {
      try {
        c.close();
      } catch (RuntimeException e) {
        System.err.println("floe: stopping " + c.name() + " failed: " + e.getMessage());
      }
    }
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
        "usage: floe up | stop | status\n"
            + "  up      start the platform (Kafka, PostgreSQL catalog, Trino) in the foreground; Ctrl-C stops it\n"
            + "  stop    stop what a killed run left running (from the pid files in $FLOE_DATA_DIR/run)\n"
            + "  status  show each component's state");
    return 2;
  }
}
