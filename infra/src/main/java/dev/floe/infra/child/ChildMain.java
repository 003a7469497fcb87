package dev.floe.infra.child;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every child JVM of the stack: starts a watchdog that exits this JVM (running its
 * shutdown hooks, so Kafka flushes and PostgreSQL stops) when the parent process is gone, then runs
 * the real main class. Without it, a parent killed with SIGKILL would leave orphaned brokers and
 * databases behind.
 *
 * <p>Usage: {@code java -Dfloe.parent.pid=<pid> -cp ... dev.floe.infra.child.ChildMain <main-class>
 * [args...]}. JDK only, so it also runs on Trino's JVM.
 */
public final class ChildMain {

  /** System property holding the pid of the process whose end stops this JVM. */
  public static final String PARENT_PID = "floe.parent.pid";

  private ChildMain() {}

  /**
   * Starts the watchdog and runs the target main class.
   *
   * @param args the target main class followed by its arguments
   * @throws Exception when the target main class cannot be found
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: ChildMain <main-class> [args...]");
      System.exit(2);
    }
    watchParent();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      // The JVM ends with its main class, even when non-daemon threads (a MiniCluster's) linger:
      // a supervisor sees the exit and restarts the component.
      System.getLogger(ChildMain.class.getName())
          .log(
              System.Logger.Level.ERROR,
              "floe: main class " + args[0] + " failed; ending this JVM so that it is restarted",
              e.getCause());
      System.exit(1);
    }
  }

  private static void watchParent() {
    String pid = System.getProperty(PARENT_PID);
    Optional<ProcessHandle> parent =
        pid == null ? ProcessHandle.current().parent() : ProcessHandle.of(Long.parseLong(pid));
    if (parent.isEmpty() || !parent.get().isAlive()) {
      System.err.println("floe: parent process " + pid + " is gone, exiting");
      System.exit(0);
    }
    ProcessHandle watched = parent.get();
    Thread watchdog =
        new Thread(
            () -> {
              // onExit() of a non-child polls; a second loop guards against a missed notification.
              while (watched.isAlive()) {
                try {
                  watched.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                  // still alive
                } catch (InterruptedException e) {
                  return;
                } catch (java.util.concurrent.ExecutionException e) {
                  break;
                }
              }
              System.err.println("floe: parent process " + watched.pid() + " ended, shutting down");
              System.exit(0);
            },
            "floe-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
