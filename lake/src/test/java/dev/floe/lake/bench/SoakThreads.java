package dev.floe.lake.bench;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** The soak run's background threads and periodic tasks. */
final class SoakThreads {

  private SoakThreads() {}

  /** A task that may throw. */
  interface Task {
    /**
     * Runs once.
     *
     * @throws Exception on failure
     */
    void run() throws Exception;
  }

  /**
   * Daemon threads: a run that fails must not be held open by a parked helper.
   *
   * @param name the threads' name, numbered
   * @return the factory
   */
  static ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * A periodic task that survives its failures (an exception would cancel its schedule); each
   * failure goes to stderr.
   *
   * @param what the task's name in the message
   * @param task the task
   * @return the guarded task
   */
  static Runnable guarded(String what, Task task) {
    return () -> {
      try {
        task.run();
      } catch (Exception e) {
        System.err.println("soak: " + what + ": " + e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
