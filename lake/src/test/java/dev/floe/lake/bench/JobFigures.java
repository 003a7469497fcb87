package dev.floe.lake.bench;

import dev.floe.infra.process.PidFile;
import dev.floe.lake.Lake;
import dev.floe.lake.LakeStatus;
import dev.floe.view.FlinkRest;
import dev.floe.view.Http;
import dev.floe.view.KafkaLag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak run's figures of the job, read through the lake view: its checkpoints (polled over the
 * Flink REST API every few seconds, since the API keeps a short history), its consumer lag, and the
 * live heap of its JVM. Thread-safe: the checkpoint poller and the minute sampler share it.
 */
final class JobFigures implements AutoCloseable {

  /**
   * How often to read the checkpoints: often enough that the REST API's short history misses none.
   */
  static final Duration CHECKPOINT_POLL = Duration.ofSeconds(2);

  /** What is sampled at the end of a minute. */
  record Sample(double ckptMb, double heapMb, long lag, long failedCkpts) {}

  private final Path dataDir;
  private final FlinkRest rest;
  private final KafkaLag kafka;

  // guarded by this
  private String jobId;
  private final Map<Long, FlinkRest.CompletedCheckpoint> completed = new HashMap<>();
  private long latestStateSize = -1;
  private long failedCheckpoints = -1;

  JobFigures(Lake lake, Path dataDir) {
    this.dataDir = dataDir;
    this.rest = new FlinkRest(new Http(Duration.ofSeconds(10)), lake.flinkRestUrl());
    this.kafka = LakeStatus.kafkaLag(lake.stack().kafkaBootstrapServers(), Lake.JOB_GROUP_ID);
  }

  /**
   * Reads the job's checkpoints and keeps every completed one the REST API lists.
   *
   * @throws IOException when the REST API does not answer, or there is no job
   */
  synchronized void pollCheckpoints() throws IOException {
    if (jobId == null) {
      jobId = rest.job().id();
    }
    FlinkRest.Checkpoints c = rest.checkpoints(jobId);
    failedCheckpoints = c.failed() == null ? -1 : c.failed();
    if (c.stateSizeBytes() != null) {
      latestStateSize = c.stateSizeBytes();
    }
    for (FlinkRest.CompletedCheckpoint h : rest.completedCheckpoints(jobId)) {
      completed.putIfAbsent(h.id(), h);
    }
  }

  /**
   * End-to-end durations of the checkpoints completed in a minute of the run.
   *
   * @param fromEpochMs the minute's start
   * @return the durations, sorted
   */
  synchronized List<Long> checkpointDurations(long fromEpochMs) {
    long to = fromEpochMs + 60_000L;
    List<Long> out = new ArrayList<>();
    for (FlinkRest.CompletedCheckpoint c : completed.values()) {
      if (c.completedAt() >= fromEpochMs && c.completedAt() < to) {
        out.add(c.durationMs());
      }
    }
    Collections.sort(out);
    return out;
  }

  /**
   * The figures at the end of a minute: checkpoint size, heap, lag and failed checkpoints.
   *
   * @return the sample, -1 for what could not be read
   */
  Sample sample() {
    try {
      pollCheckpoints();
    } catch (IOException | RuntimeException e) {
      System.err.println("soak: Flink REST: " + e);
    }
    double ckptMb;
    long failed;
    synchronized (this) {
      ckptMb = latestStateSize < 0 ? -1 : latestStateSize / (1024.0 * 1024.0);
      failed = failedCheckpoints;
    }
    return new Sample(ckptMb, jobHeapAfterGcMb(), lag(), failed);
  }

  /**
   * Records of the raw topic the job has not committed yet.
   *
   * @return the lag, or -1 when Kafka does not answer
   */
  synchronized long lag() {
    try {
      return kafka.totalLag();
    } catch (IOException e) {
      System.err.println("soak: consumer lag: " + e);
      return -1;
    }
  }

  /**
   * Live heap of the Flink job's JVM, in MB: the total of {@code jcmd GC.class_histogram}, which
   * runs a full GC and counts what survived it. (A {@code GC.run} followed by {@code GC.heap_info}
   * would also count what the job allocates between the two commands, tens of MB at 5,000
   * events/s.) -1 when it cannot be read.
   */
  private double jobHeapAfterGcMb() {
    Optional<ProcessHandle> job =
        new PidFile(dataDir.resolve("run").resolve(Lake.FLINK_JOB + ".pid")).liveProcess();
    if (job.isEmpty()) {
      System.err.println("soak: no live Flink job process in " + dataDir.resolve("run"));
      return -1;
    }
    String pid = Long.toString(job.get().pid());
    try {
      String histogram = jcmd(pid, "GC.class_histogram");
      Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
      if (!m.find()) {
        System.err.println(
            "soak: no total in GC.class_histogram: " + SoakReport.abbreviate(histogram));
        return -1;
      }
      return Long.parseLong(m.group(1)) / (1024.0 * 1024.0);
    } catch (IOException e) {
      System.err.println("soak: jcmd: " + e.getMessage());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The last line of a class histogram: {@code Total <instances> <bytes>}. */
  private static final Pattern HISTOGRAM_TOTAL =
      Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  private static String jcmd(String pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), pid, command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          "jcmd " + pid + " " + command + " exited " + p.exitValue() + ": " + text);
    }
    return text;
  }

  @Override
  public synchronized void close() {
    kafka.close();
  }
}
