package dev.floe.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A pid file holding the pid and the start instant of a process, so that a later run recognises its
 * own leftover process (same pid and same start instant) and never touches an unrelated process
 * that reused the pid.
 */
public final class PidFile {

  private final Path path;

  /**
   * Wraps a pid file path (the file need not exist).
   *
   * @param path the pid file
   */
  public PidFile(Path path) {
    this.path = path;
  }

  /**
   * The file's location.
   *
   * @return the path
   */
  public Path path() {
    return path;
  }

  /**
   * Records a running process, atomically (a reader never sees a half-written file).
   *
   * @param process the process to record
   */
  public void write(ProcessHandle process) {
    String start =
        process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("-");
    try {
      Files.createDirectories(path.getParent());
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, process.pid() + "\n" + start + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pid file " + path, e);
    }
  }

  /**
   * The recorded process if it is still alive and is the same process (same start instant) as
   * recorded.
   *
   * @return the live process, or empty when the file is missing, unreadable or stale
   */
  public Optional<ProcessHandle> liveProcess() {
    List<String> lines;
    try {
      if (!Files.isRegularFile(path)) {
        return Optional.empty();
      }
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String recordedStart = lines.size() > 1 ? lines.get(1).trim() : "-";
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h -> {
              Optional<Instant> start = h.info().startInstant();
              return recordedStart.equals("-")
                  || start.isEmpty()
                  || Long.toString(start.get().toEpochMilli()).equals(recordedStart);
            });
  }

  /**
   * Stops the recorded process if it is still running (a leftover of a killed run), then deletes
   * the file.
   *
   * @param stopTimeout how long to wait after SIGTERM before SIGKILL
   * @return true if a leftover process was found and stopped
   */
  public boolean stopLeftoverAndDelete(Duration stopTimeout) {
    Optional<ProcessHandle> live = liveProcess();
    if (live.isPresent()) {
      Optional<ProcessHandle> owner = liveOwner(live.get());
      if (owner.isPresent()) {
        throw new ServiceStartException(
            "process "
                + live.get().pid()
                + " recorded in "
                + path
                + " is still running and belongs to the live process "
                + owner.get().pid()
                + " (another floe run or test JVM using the same data directory). Stop that run first,"
                + " e.g. with ./floe stop, or use another data directory (FLOE_DATA_DIR).");
      }
      Processes.terminate(live.get(), stopTimeout);
    }
    delete();
    return live.isPresent();
  }

  /**
   * Stops the recorded process whoever started it (for {@code floe stop}), then deletes the file.
   *
   * @param stopTimeout how long to wait after SIGTERM before SIGKILL
   * @return true if a running process was stopped
   */
  public boolean forceStopAndDelete(Duration stopTimeout) {
    Optional<ProcessHandle> live = liveProcess();
    live.ifPresent(h -> Processes.terminate(h, stopTimeout));
    delete();
    return live.isPresent();
  }

  /**
   * The live process that started {@code process}, if it is not this JVM and has not died (an
   * orphan is re-parented to pid 1 or a sub-reaper, which then counts as gone only for pid 1).
   */
  private static Optional<ProcessHandle> liveOwner(ProcessHandle process) {
    return process
        .parent()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.pid() != 1 && p.pid() != ProcessHandle.current().pid());
  }

  /** Deletes the file if present. */
  public void delete() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete pid file " + path, e);
    }
  }
}
