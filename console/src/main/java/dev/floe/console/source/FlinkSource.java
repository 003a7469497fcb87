package dev.floe.console.source;

import dev.floe.contract.JobMetrics;
import dev.floe.view.FlinkRest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The Flink job as the console samples it, over the lake view's {@link FlinkRest}: state and
 * restarts, the last completed checkpoint, and the job's own metrics summed (counters) or maxed
 * (gauges) over subtasks. Which vertex carries which metric is looked up once per job id (again
 * every few seconds while one is missing), so a sample costs a handful of requests.
 */
public final class FlinkSource {

  /** The job metrics the console shows. */
  static final List<String> METRICS =
      List.of(
          JobMetrics.RECORDS_IN_COUNTER,
          JobMetrics.CLEAN_OUT_COUNTER,
          JobMetrics.FRESHNESS_P50_GAUGE,
          JobMetrics.FRESHNESS_P99_GAUGE,
          JobMetrics.FRESHNESS_EVENTS_GAUGE,
          JobMetrics.COMMIT_INTERVAL_GAUGE,
          JobMetrics.PROCESSING_BACKLOG_GAUGE);

  /** How often a metric no vertex carries yet is looked for again. */
  static final long REDISCOVER_MS = 5_000;

  private final FlinkRest rest;
  private long discoveredAt;

  /**
   * A source on a REST base URL.
   *
   * @param http the client
   * @param base e.g. http://127.0.0.1:8089
   */
  public FlinkSource(Http http, String base) {
    this.rest = new FlinkRest(http, base);
  }

  /**
   * What one sample of the job says.
   *
   * @param jobId the job id
   * @param name the job's name
   * @param state RUNNING, RESTARTING, ...
   * @param restarts restarts since the job was submitted, when known
   * @param metrics the floe metrics by short name (names of {@link JobMetrics}), summed or maxed
   * @param checkpointId the last completed checkpoint, or null
   * @param checkpointAt when it completed (epoch ms)
   * @param checkpointDurationMs its end-to-end duration
   * @param checkpointSizeBytes its size (checkpointed, i.e. incremental size)
   * @param stateSizeBytes the full state size
   * @param checkpointsFailed checkpoints that failed since the job started
   * @param lastFailure the job's latest failure as "time cause" (its innermost cause: a full disk
   *     says No space left on device), null when it never failed or was not read
   */
  public record JobSample(
      String jobId,
      String name,
      String state,
      Long restarts,
      Map<String, Double> metrics,
      Long checkpointId,
      Long checkpointAt,
      Long checkpointDurationMs,
      Long checkpointSizeBytes,
      Long stateSizeBytes,
      Long checkpointsFailed,
      String lastFailure) {}

  /**
   * Samples the running job (else the newest one). Its metric values come from the REST API's
   * metric fetcher, which dumps every metric of the job from the task managers when its cache is
   * older than {@code metrics.fetcher.update-interval}: a dump every second cost the job about 10 %
   * of a core at 1,000 events/s (measured), so they are asked for only every few samples.
   *
   * @param withMetrics whether to read the job's metrics, restarts and last failure too
   * @return the sample
   * @throws IOException when the REST API does not answer, or there is no job
   */
  public JobSample sample(boolean withMetrics) throws IOException {
    FlinkRest.Job job = rest.job();
    String jid = job.id();
    Map<String, Double> metrics = Map.of();
    Long restarts = null;
    String lastFailure = null;
    if (withMetrics) {
      long now = System.currentTimeMillis();
      if (!rest.knows(jid, METRICS) && now - discoveredAt > REDISCOVER_MS) {
        rest.discover(jid, METRICS);
        discoveredAt = now;
      }
      metrics = rest.metrics(jid, METRICS);
      restarts = rest.restarts(jid).orElse(null);
      lastFailure = rest.lastFailure(jid).map(f -> f.at() + " " + f.cause()).orElse(null);
    }
    FlinkRest.Checkpoints c = rest.checkpoints(jid);
    return new JobSample(
        jid,
        job.name(),
        job.state(),
        restarts,
        metrics,
        c.completedId(),
        c.completedAt(),
        c.durationMs(),
        c.checkpointedSizeBytes(),
        c.stateSizeBytes(),
        c.failed(),
        lastFailure);
  }
}
