package dev.floe.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child process under supervision: started with its own environment, working directory, log file
 * and pid file; waited for through a readiness probe with a deadline; stopped with SIGTERM, then
 * SIGKILL after a grace period. The embedded platform services use it, and so can later components
 * (the Flink job, service replicas) started by the {@code floe} command.
 *
 * <pre>{@code
 * SupervisedProcess p = SupervisedProcess.builder("kafka")
 *     .command(List.of(java, "-cp", cp, "kafka.Kafka", "server.properties"))
 *     .logFile(logs.resolve("kafka.log")).pidFile(run.resolve("kafka.pid"))
 *     .readiness(() -> Processes.isListening(9092)).startTimeout(Duration.ofSeconds(60))
 *     .start();
 * p.awaitReady();
 * }</pre>
 */
public final class SupervisedProcess {

  private final Builder spec;
  private final Process process;
  private final PidFile pidFile;

  private SupervisedProcess(Builder spec, Process process) {
    this.spec = spec;
    this.process = process;
    this.pidFile = new PidFile(spec.pidFile);
  }

  /**
   * Starts describing a process.
   *
   * @param name the component name used in messages and logs, e.g. "kafka"
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The component name.
   *
   * @return the name
   */
  public String name() {
    return spec.name;
  }

  /**
   * The operating system process id.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * The process handle.
   *
   * @return the handle
   */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * Whether the process still runs.
   *
   * @return true if alive
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The log file (stdout and stderr, appended).
   *
   * @return the path
   */
  public Path logFile() {
    return spec.logFile;
  }

  /**
   * Waits until the readiness probe says yes, the process dies, or the start timeout passes.
   *
   * @throws ServiceStartException naming the component, with the tail of its log, if it does not
   *     come up
   */
  public void awaitReady() {
    Instant deadline = Instant.now().plus(spec.startTimeout);
    while (true) {
      if (!process.isAlive()) {
        pidFile.delete();
        throw new ServiceStartException(
            spec.displayName
                + " exited with code "
                + process.exitValue()
                + " before it was ready. Last lines of "
                + spec.logFile
                + ":\n"
                + Processes.tail(spec.logFile, 40));
      }
      if (probe()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        stop();
        throw new ServiceStartException(
            spec.displayName
                + " did not become ready within "
                + spec.startTimeout.toSeconds()
                + " s. Last lines of "
                + spec.logFile
                + ":\n"
                + Processes.tail(spec.logFile, 40));
      }
      try {
        // Polls and, at the same time, notices an early exit without waiting for the next round.
        process.onExit().get(250, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // not ready yet
      } catch (java.util.concurrent.ExecutionException e) {
        // exit is handled at the top of the loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new ServiceStartException(spec.displayName + " start was interrupted", e);
      }
    }
  }

  private boolean probe() {
    try {
      return spec.readiness.isReady();
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Stops the process: SIGTERM (so its shutdown hooks run), then SIGKILL after the stop timeout.
   * Deletes the pid file. Safe to call more than once.
   */
  public void stop() {
    Processes.terminate(process.toHandle(), spec.stopTimeout);
    pidFile.delete();
  }

  /** Describes a process to start. */
  public static final class Builder {
    private final String name;
    private String displayName;
    private List<String> command = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path workDir;
    private Path logFile;
    private Path pidFile;
    private ReadinessProbe readiness = () -> true;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(30);

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
      this.displayName = name;
    }

    /**
     * The name used in error messages (defaults to the component name).
     *
     * @param displayName e.g. "Kafka broker"
     * @return this
     */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /**
     * The command line.
     *
     * @param command program and arguments
     * @return this
     */
    public Builder command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    /**
     * Adds environment variables (on top of this process' environment).
     *
     * @param env variables
     * @return this
     */
    public Builder env(Map<String, String> env) {
      this.env.putAll(env);
      return this;
    }

    /**
     * The working directory (created if missing).
     *
     * @param workDir the directory
     * @return this
     */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /**
     * Where stdout and stderr are appended (required).
     *
     * @param logFile the log file
     * @return this
     */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /**
     * Where the pid is recorded while the process runs (required).
     *
     * @param pidFile the pid file
     * @return this
     */
    public Builder pidFile(Path pidFile) {
      this.pidFile = pidFile;
      return this;
    }

    /**
     * How to tell that the process is ready.
     *
     * @param readiness the probe
     * @return this
     */
    public Builder readiness(ReadinessProbe readiness) {
      this.readiness = Objects.requireNonNull(readiness);
      return this;
    }

    /**
     * How long {@link SupervisedProcess#awaitReady()} waits.
     *
     * @param startTimeout the deadline
     * @return this
     */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * How long SIGTERM may take before SIGKILL.
     *
     * @param stopTimeout the grace period
     * @return this
     */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /**
     * Starts the process (without waiting for readiness) and writes its pid file. A leftover
     * process recorded in the same pid file by an earlier, killed run is stopped first.
     *
     * @return the running process
     * @throws ServiceStartException if the process cannot be launched
     */
    public SupervisedProcess start() {
      if (command.isEmpty() || logFile == null || pidFile == null) {
        throw new IllegalStateException(name + ": command, logFile and pidFile are required");
      }
      PidFile pids = new PidFile(pidFile);
      pids.stopLeftoverAndDelete(stopTimeout);
      try {
        Files.createDirectories(logFile.getParent());
        if (workDir != null) {
          Files.createDirectories(workDir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
      pb.environment().putAll(env);
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new ServiceStartException(
            displayName + " could not be launched: " + e.getMessage(), e);
      }
      pids.write(process.toHandle());
      return new SupervisedProcess(this, process);
    }

    private static java.io.File nullFile() {
      return new java.io.File(
          System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("win")
              ? "NUL"
              : "/dev/null");
    }
  }
}
