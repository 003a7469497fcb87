package dev.floe.lake.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak run prints. Each minute m = 1..T one line:
 *
 * <pre>
 * FLOE-SOAK minute=m rate=.. fresh_p50_ms=.. fresh_p99_ms=.. ckpt_p99_ms=.. ckpt_mb=.. job_heap_mb=.. lag=.. failed_ckpts=..
 * </pre>
 *
 * <ul>
 *   <li>{@code rate}: events accepted (202) in that minute per second;
 *   <li>{@code fresh_*}: over the probes whose batch was accepted in that minute; a probe not seen
 *       within 60 s counts as 60000 ms (the line waits for that minute's probes up to then);
 *   <li>{@code ckpt_p99_ms}: p99 of end_to_end_duration of the checkpoints completed in that minute
 *       (Flink REST, polled every 2 s so that the short history misses none); -1 if none;
 *   <li>{@code ckpt_mb}, {@code job_heap_mb}, {@code lag}, {@code failed_ckpts}: sampled at the end
 *       of the minute: full state size of the latest completed checkpoint, heap used by the Flink
 *       job's JVM after a full GC (the total of {@code jcmd <pid> GC.class_histogram}), records of
 *       events.raw not committed by the job's group, failed checkpoints in that minute; -1 when a
 *       figure cannot be read (the reason goes to stderr).
 * </ul>
 *
 * <p>{@code FLOE-SOAK-NOTE} lines say when the client fell behind its schedule, retried batches, or
 * probes stayed invisible. At the end: {@code FLOE-SOAK-SUMMARY} ({@code heap_ratio_last_to_min5} =
 * heap of the last minute / heap of minute 5, -1 for runs shorter than 5 minutes), then {@code
 * FLOE-SOAK-EXACT acknowledged=.. in_lake=.. distinct=..}. Everything printed also goes to {@code
 * target/soak/<run>/soak.log}, the result lines (minutes, summary, exact) to {@code
 * target/soak/<run>/soak.txt}.
 *
 * <p>The minute lines, summary and exact line are printed by the run's thread; {@link #failure} may
 * be called from any thread.
 */
final class SoakReport implements AutoCloseable {

  /** Failures printed at most: a lake that refuses for minutes would otherwise flood the log. */
  private static final int MAX_FAILURE_LOGS = 20;

  private static final int ABBREVIATE_CHARS = 300;

  /** One minute's printed figures, for the summary. */
  private record Row(long rate, long freshP50Ms, long freshP99Ms, long ckptP99Ms) {}

  private final SoakSettings settings;
  private final OutputStream log;
  private final List<String> results = Collections.synchronizedList(new ArrayList<>());
  private final List<Row> rows = new ArrayList<>();
  private final List<JobFigures.Sample> samples = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();

  private SoakReport(SoakSettings settings, OutputStream log) {
    this.settings = settings;
    this.log = log;
  }

  /**
   * Starts the report: everything printed to stdout and stderr from now on also goes to the run's
   * log file, until {@link #close}.
   *
   * @param settings the run's settings
   * @param log the log file, appended to
   * @return the report
   * @throws IOException when the file cannot be opened
   */
  static SoakReport open(SoakSettings settings, Path log) throws IOException {
    OutputStream file = new FileOutputStream(log.toFile(), true);
    System.setOut(new PrintStream(new Tee(System.out, file), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(System.err, file), true, StandardCharsets.UTF_8));
    return new SoakReport(settings, file);
  }

  /**
   * Prints the run's settings and where its output goes.
   *
   * @param log the run's log file
   * @param componentLogs the directory of the lake's component logs
   */
  void printSettings(Path log, Path componentLogs) {
    System.out.printf(
        Locale.ROOT,
        "soak: %d events/s in batches of %d, %d min, %d producer replica(s), %d sending"
            + " threads%nsoak: this output also in %s; the lake's data and component logs in"
            + " %s%n",
        settings.rate(),
        settings.batchSize(),
        settings.minutes(),
        settings.producers(),
        settings.threads(),
        log,
        componentLogs);
  }

  /**
   * Prints a failed POST or probe query to stderr, the first {@value #MAX_FAILURE_LOGS} only.
   *
   * @param message the whole line
   */
  void failure(String message) {
    if (failures.incrementAndGet() <= MAX_FAILURE_LOGS) {
      System.err.println(message);
    }
  }

  /**
   * Prints the {@code FLOE-SOAK-NOTE} line of a minute, if there is anything to note.
   *
   * @param m the minute
   * @param sent what the sender did in it
   * @param fresh its probes
   */
  void notes(int m, SoakSender.Minute sent, FreshnessProbes.Minute fresh) {
    List<String> notes = new ArrayList<>();
    if (sent.lateBatches() > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "client behind schedule: %d batches sent more than %d ms late, up to %d ms (raise"
                  + " -Dsoak.threads, currently %d, or lower the rate)",
              sent.lateBatches(),
              SoakSender.LATE_NOTE_MS,
              sent.maxLateMs(),
              settings.threads()));
    }
    if (sent.retriedPosts() > 0) {
      notes.add(sent.retriedPosts() + " POSTs not accepted and retried");
    }
    if (fresh.invisible() > 0) {
      notes.add(
          fresh.invisible()
              + " of "
              + fresh.probes()
              + " probes not returned by GET /query within 60 s (counted as 60000 ms)");
    }
    if (!notes.isEmpty()) {
      System.out.println("FLOE-SOAK-NOTE minute=" + m + " " + String.join("; ", notes));
    }
  }

  /**
   * Prints the {@code FLOE-SOAK-NOTE} line for scheduled batches the client never sent.
   *
   * @param m the last minute
   * @param unsentBatches the count; nothing is printed for 0
   */
  void unsent(int m, long unsentBatches) {
    if (unsentBatches > 0) {
      System.out.println(
          "FLOE-SOAK-NOTE minute="
              + m
              + " client behind schedule: "
              + unsentBatches
              + " scheduled batches not sent by the end of the run");
    }
  }

  /**
   * Prints a minute's {@code FLOE-SOAK} line. Minutes are reported in order, 1..T.
   *
   * @param m the minute
   * @param sent what the sender did in it
   * @param fresh its probes
   * @param ckptP99Ms p99 of the checkpoints completed in it, -1 if none
   * @param sample the job's figures at its end
   */
  void minute(
      int m,
      SoakSender.Minute sent,
      FreshnessProbes.Minute fresh,
      long ckptP99Ms,
      JobFigures.Sample sample) {
    long rate = Math.round(sent.acceptedEvents() / 60.0);
    result(
        String.format(
            Locale.ROOT,
            "FLOE-SOAK minute=%d rate=%d fresh_p50_ms=%d fresh_p99_ms=%d ckpt_p99_ms=%d"
                + " ckpt_mb=%.1f job_heap_mb=%.1f lag=%d failed_ckpts=%d",
            m,
            rate,
            fresh.p50Ms(),
            fresh.p99Ms(),
            ckptP99Ms,
            sample.ckptMb(),
            sample.heapMb(),
            sample.lag(),
            failedInMinute(sample)));
    rows.add(new Row(rate, fresh.p50Ms(), fresh.p99Ms(), ckptP99Ms));
    samples.add(sample);
  }

  /**
   * Checkpoints that failed during the minute of {@code s}, the sample after the last one reported
   * (the REST count is cumulative).
   */
  private long failedInMinute(JobFigures.Sample s) {
    if (s.failedCkpts() < 0) {
      return -1;
    }
    long before =
        samples.isEmpty() ? 0 : Math.max(0, samples.get(samples.size() - 1).failedCkpts());
    return s.failedCkpts() - before;
  }

  /**
   * Prints the probe queries' cost and the {@code FLOE-SOAK-SUMMARY} line over the minutes
   * reported.
   *
   * @param probeQueries probe queries run
   * @param averageQueryMs their average duration
   * @param acknowledged events accepted
   */
  void summary(long probeQueries, long averageQueryMs, long acknowledged) {
    double avgRate = rows.stream().mapToLong(Row::rate).average().orElse(0);
    long p50Max = rows.stream().mapToLong(Row::freshP50Ms).max().orElse(-1);
    long p99Max = rows.stream().mapToLong(Row::freshP99Ms).max().orElse(-1);
    long ckptMax = rows.stream().mapToLong(Row::ckptP99Ms).max().orElse(-1);
    // failures after the first minute (start-up attempts before every task runs are declined)
    long failed =
        samples.size() < 2
            ? 0
            : samples.get(samples.size() - 1).failedCkpts() - samples.get(0).failedCkpts();
    double heapLast = samples.get(samples.size() - 1).heapMb();
    // minute 5: past the start-up transient; a shorter run has no baseline
    double heapBase = samples.size() >= 5 ? samples.get(4).heapMb() : -1;
    String ratio =
        heapLast > 0 && heapBase > 0
            ? String.format(Locale.ROOT, "%.2f", heapLast / heapBase)
            : "-1";
    System.out.printf(
        Locale.ROOT,
        "soak: %d probe queries, %d ms each on average; %d events acknowledged%n",
        probeQueries,
        averageQueryMs,
        acknowledged);
    result(
        String.format(
            Locale.ROOT,
            "FLOE-SOAK-SUMMARY minutes=%d rate=%.0f fresh_p50_ms_max=%d fresh_p99_ms_max=%d"
                + " ckpt_p99_ms_max=%d failed_ckpts=%d heap_ratio_last_to_min5=%s",
            settings.minutes(),
            avgRate,
            p50Max,
            p99Max,
            ckptMax,
            failed,
            ratio));
  }

  /**
   * Prints the {@code FLOE-SOAK-EXACT} line, and says so when the table does not hold each
   * acknowledged event exactly once.
   *
   * @param acknowledged events accepted
   * @param counts what the table holds
   */
  void exact(long acknowledged, ExactnessCheck.Counts counts) {
    result(
        String.format(
            Locale.ROOT,
            "FLOE-SOAK-EXACT acknowledged=%d in_lake=%d distinct=%d",
            acknowledged,
            counts.inLake(),
            counts.distinct()));
    if (counts.inLake() != acknowledged || counts.distinct() != acknowledged) {
      System.out.println(
          "soak: NOT EXACT: the table does not hold each acknowledged event exactly once");
    }
  }

  /**
   * Writes the result lines printed so far to a file.
   *
   * @param file the file, replaced
   * @throws IOException when it cannot be written
   */
  void writeResults(Path file) throws IOException {
    synchronized (results) {
      Files.write(file, results);
    }
    System.out.println("soak: results in " + file);
  }

  /**
   * A body or command output for a one-line message: whitespace collapsed, at most 300 characters.
   *
   * @param s the text, may be null
   * @return the abbreviation
   */
  static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ");
    return one.length() <= ABBREVIATE_CHARS ? one : one.substring(0, ABBREVIATE_CHARS) + "...";
  }

  /** Closes the log file. */
  @Override
  public void close() throws IOException {
    log.close();
  }

  private void result(String line) {
    results.add(line);
    System.out.println(line);
  }

  /** Writes everything to the terminal and to the run's log file. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      synchronized (second) {
        first.write(b);
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (second) {
        first.write(b, off, len);
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (second) {
        first.flush();
        second.flush();
      }
    }
  }
}
