package dev.floe.infra.process;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Restarts components that die: a scheduled task per component polls whether it crashed (it exited
 * without being asked to stop), waits a backoff, runs the component's restart (launch and wait
 * until ready) and records the restart in {@code <runDir>/<name>.restarts}, which {@code ./floe
 * status} shows. The backoff doubles after each restart that follows the previous one closely (the
 * component keeps dying) and starts again from the initial delay once the component stayed up for
 * {@link Policy#stableAfter()}; a restart that fails is retried the same way.
 *
 * <pre>{@code
 * Supervisor s = new Supervisor(dataDir.resolve("run"), Supervisor.Policy.DEFAULT, log::println);
 * s.watch("kafka", kafka::crashed, kafka::restart);
 * ...
 * s.close(); // before stopping the components on purpose
 * }</pre>
 */
public final class Supervisor implements AutoCloseable {

  /**
   * When to restart.
   *
   * @param initialBackoff delay before the first restart after a stable run
   * @param maxBackoff the longest delay
   * @param stableAfter up this long after a restart, a component's next crash starts from the
   *     initial delay again
   * @param pollInterval how often a component is checked
   */
  public record Policy(
      Duration initialBackoff, Duration maxBackoff, Duration stableAfter, Duration pollInterval) {
    /** 1 s, doubling up to 30 s; stable after 60 s; checked every 250 ms. */
    public static final Policy DEFAULT =
        new Policy(
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofMillis(250));

    /**
     * The delay before restart number {@code attempt} of a crash series (0-based).
     *
     * @param attempt restarts already made in this series
     * @return the delay
     */
    public Duration backoff(int attempt) {
      long ms = initialBackoff.toMillis() << Math.min(attempt, 20);
      return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
  }

  /**
   * What {@code <runDir>/<name>.restarts} holds.
   *
   * @param restarts restarts made by the supervisor in this run
   * @param lastCrash when the component was last found dead
   * @param lastRestart when it was last back (null while a restart is under way)
   * @param lastError why the last restart attempt failed, if it did
   */
  public record Record(int restarts, Instant lastCrash, Instant lastRestart, String lastError) {
    /**
     * One line for a status view.
     *
     * @return e.g. {@code "restarted 2 times, last at 2026-12-01T05:01:02Z"}
     */
    public String render() {
      StringBuilder s =
          new StringBuilder("restarted " + restarts + (restarts == 1 ? " time" : " times"));
      if (lastRestart != null) {
        s.append(", last back at ").append(lastRestart);
      }
      if (lastCrash != null && (lastRestart == null || lastCrash.isAfter(lastRestart))) {
        s.append(", crashed at ").append(lastCrash).append(", restart under way");
      }
      if (lastError != null && !lastError.isBlank()) {
        s.append(" (last attempt failed: ").append(lastError).append(')');
      }
      return s.toString();
    }
  }

  /** How long {@link #close()} waits for a restart under way to give up. */
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final Path runDir;
  private final Policy policy;
  private final Consumer<String> log;
  private final ScheduledThreadPoolExecutor executor;
  private volatile boolean closed;

  /**
   * A supervisor writing its records to a run directory.
   *
   * @param runDir where {@code <name>.restarts} files go
   * @param policy the backoff policy
   * @param log receives one line per crash and restart
   */
  public Supervisor(Path runDir, Policy policy, Consumer<String> log) {
    this.runDir = Objects.requireNonNull(runDir);
    this.policy = Objects.requireNonNull(policy);
    this.log = Objects.requireNonNull(log);
    // one thread per component at most: a restart blocks its thread until the component is ready
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "floe-supervisor");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Watches a component from now on. Its record starts at zero restarts.
   *
   * @param name the component name (file name of its record)
   * @param crashed true when the component is dead without having been asked to stop
   * @param restart launches it again and returns once it is ready; throws when it does not come up
   */
  public synchronized void watch(String name, BooleanSupplier crashed, Runnable restart) {
    if (closed) {
      throw new IllegalStateException("the supervisor is closed");
    }
    write(name, new Record(0, null, null, null));
    executor.setCorePoolSize(executor.getCorePoolSize() + 1);
    Watched w = new Watched(name, crashed, restart);
    executor.scheduleWithFixedDelay(w::check, 0, policy.pollInterval().toMillis(), MILLISECONDS);
  }

  /** One component: polled until it is found crashed, then restarted attempt by attempt. */
  private final class Watched {
    private final String name;
    private final BooleanSupplier crashed;
    private final Runnable restart;
    // touched by one task at a time: the poll pauses (restarting) while attempts are scheduled
    private volatile boolean restarting;
    private int restarts;
    private int series;
    private Instant lastBack = Instant.now();
    private Instant crashAt;
    private String error;

    Watched(String name, BooleanSupplier crashed, Runnable restart) {
      this.name = name;
      this.crashed = crashed;
      this.restart = restart;
    }

    void check() {
      if (closed || restarting) {
        return;
      }
      try {
        if (!crashed.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // a probe that throws is a bug of its own, not a crash: report it and keep watching
        log.accept("floe: supervising " + name + ": " + e);
        return;
      }
      restarting = true;
      crashAt = Instant.now();
      error = null;
      if (Duration.between(lastBack, crashAt).compareTo(policy.stableAfter()) >= 0) {
        series = 0;
      }
      scheduleAttempt();
    }

    private void scheduleAttempt() {
      Duration delay = policy.backoff(series++);
      log.accept(
          "floe: "
              + name
              + " is down; restarting it in "
              + delay.toMillis()
              + " ms (restart "
              + (restarts + 1)
              + ")");
      write(name, new Record(restarts, crashAt, null, error));
      executor.schedule(this::attempt, delay.toMillis(), MILLISECONDS);
    }

    private void attempt() {
      if (closed) {
        return;
      }
      try {
        restart.run();
      } catch (RuntimeException e) {
        error = firstLine(e.getMessage());
        log.accept("floe: restarting " + name + " failed: " + error);
        if (!closed) {
          scheduleAttempt();
        }
        return;
      }
      restarts++;
      lastBack = Instant.now();
      write(name, new Record(restarts, crashAt, lastBack, null));
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "floe: %s restarted (%d so far), ready %.1f s after it was found down",
              name,
              restarts,
              Duration.between(crashAt, lastBack).toMillis() / 1000.0));
      restarting = false;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private void write(String name, Record r) {
    Properties p = new Properties();
    p.setProperty("restarts", Integer.toString(r.restarts()));
    if (r.lastCrash() != null) {
      p.setProperty("lastCrash", r.lastCrash().toString());
    }
    if (r.lastRestart() != null) {
      p.setProperty("lastRestart", r.lastRestart().toString());
    }
    if (r.lastError() != null) {
      p.setProperty("lastError", r.lastError());
    }
    Path file = recordFile(runDir, name);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(runDir);
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "restarts of " + name + " by the lake's supervisor");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * The restart record of a component, if it was supervised in the run of this directory.
   *
   * @param runDir the run directory
   * @param name the component
   * @return the record
   */
  public static Optional<Record> read(Path runDir, String name) {
    Path file = recordFile(runDir, name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(
          new Record(
              Integer.parseInt(p.getProperty("restarts", "0")),
              instant(p.getProperty("lastCrash")),
              instant(p.getProperty("lastRestart")),
              p.getProperty("lastError")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes the records of an earlier run.
   *
   * @param runDir the run directory
   */
  public static void clear(Path runDir) {
    try (var files = Files.list(runDir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".restarts")).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // no run directory yet: nothing to clear
    }
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static Path recordFile(Path runDir, String name) {
    return runDir.resolve(name + ".restarts");
  }

  /**
   * Stops watching (call it before stopping components on purpose); a restart under way is
   * interrupted.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
        log.accept("floe: a restart did not give up within " + CLOSE_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
