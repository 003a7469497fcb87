package dev.floe.console.sample;

import dev.floe.console.source.FlinkSource;
import dev.floe.contract.JobMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The Flink job through its REST API: state, checkpoints and, every flink-metrics-interval, the
 * job's own gauges (freshness, commit interval, backlog) and restarts. While the REST API does not
 * answer, the job shows as last read with its state unknown and no freshness.
 */
final class FlinkSampler {

  /** The state shown while the REST API does not answer. */
  static final String STATE_DOWN = "UNKNOWN (Flink REST API down)";

  private final FlinkSource flink;
  private final String address;
  private final long metricsEveryMs;
  private final SourceHealth health;
  private long metricsAt;
  private Map<String, Double> metrics = Map.of();
  private Long restarts;
  private String lastFailure;
  private FlinkSource.JobSample last;

  FlinkSampler(FlinkSource flink, String address, Duration metricsInterval, SourceHealth health) {
    this.flink = flink;
    this.address = address;
    this.metricsEveryMs = metricsInterval.toMillis();
    this.health = health;
  }

  /**
   * Reads the job and puts {@code freshness.*} and {@code checkpoint.*} into {@code values}.
   *
   * @param recordsIn the job's input rate (from Kafka)
   * @param recordsOut the job's output rate (from Kafka)
   * @return the job now, null while it was never read
   */
  Overview.Job sample(Map<String, Double> values, long now, Double recordsIn, Double recordsOut) {
    try {
      boolean withMetrics = now - metricsAt >= metricsEveryMs;
      FlinkSource.JobSample s = flink.sample(withMetrics);
      if (withMetrics) {
        metricsAt = now;
        metrics = s.metrics();
        if (s.restarts() != null) {
          restarts = s.restarts();
        }
        lastFailure = s.lastFailure();
      }
      last = s;
      // the job's gauges as last read (at most flink-metrics-interval old)
      Long p50 = positive(metrics.get(JobMetrics.FRESHNESS_P50_GAUGE));
      Long p99 = positive(metrics.get(JobMetrics.FRESHNESS_P99_GAUGE));
      Double events = metrics.get(JobMetrics.FRESHNESS_EVENTS_GAUGE);
      Long age = s.checkpointAt() == null ? null : Math.max(0, now - s.checkpointAt());
      Ring.put(values, "freshness.p50", p50);
      Ring.put(values, "freshness.p99", p99);
      Ring.put(values, "checkpoint.durationMs", s.checkpointDurationMs());
      Ring.put(values, "checkpoint.sizeBytes", s.checkpointSizeBytes());
      Ring.put(values, "checkpoint.ageMs", age);
      health.up("flink", "flink", address, now);
      return job(
          s,
          s.state(),
          recordsIn,
          recordsOut,
          age,
          p50,
          p99,
          events == null ? null : events.longValue());
    } catch (IOException | RuntimeException e) {
      metricsAt = 0; // read them again as soon as the job answers
      health.down("flink", "flink", address, e, now);
      if (last == null) {
        return null;
      }
      Long age = last.checkpointAt() == null ? null : now - last.checkpointAt();
      return job(last, STATE_DOWN, recordsIn, recordsOut, age, null, null, null);
    }
  }

  /** The job as shown: the sample's identity and checkpoints, the gauges as last read. */
  private Overview.Job job(
      FlinkSource.JobSample s,
      String state,
      Double recordsIn,
      Double recordsOut,
      Long checkpointAgeMs,
      Long freshnessP50Ms,
      Long freshnessP99Ms,
      Long freshnessEvents) {
    Double interval = metrics.get(JobMetrics.COMMIT_INTERVAL_GAUGE);
    Double backlog = metrics.get(JobMetrics.PROCESSING_BACKLOG_GAUGE);
    return new Overview.Job(
        s.jobId(),
        s.name(),
        state,
        restarts,
        recordsIn,
        recordsOut,
        s.checkpointId(),
        s.checkpointAt(),
        checkpointAgeMs,
        s.checkpointDurationMs(),
        s.checkpointSizeBytes(),
        s.stateSizeBytes(),
        s.checkpointsFailed(),
        interval == null ? null : interval.longValue(),
        backlog == null ? null : backlog > 0,
        freshnessP50Ms,
        freshnessP99Ms,
        freshnessEvents,
        lastFailure);
  }

  private static Long positive(Double v) {
    return v == null || v < 0 ? null : v.longValue();
  }
}
