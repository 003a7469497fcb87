package dev.floe.job.metrics;

import dev.floe.contract.JobMetrics;
import dev.floe.job.model.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The job's freshness gauges: the last step before both clean sinks measures, for the events it
 * passes, producedAt to the completion of the checkpoint that commits them ({@link
 * FreshnessTracker}), as {@code floe.freshnessP50Ms}, {@code floe.freshnessP99Ms} (over the last
 * minute; -1 when nothing was committed in it) and {@code floe.freshnessEvents}. It forwards every
 * event unchanged and registers no state, so checkpoints are the same as without it.
 */
public final class MeasureFreshness extends ProcessFunction<Event, Event>
    implements CheckpointedFunction, CheckpointListener {

  /** The window of the gauges. */
  static final int WINDOW_SECONDS = 60;

  private transient FreshnessTracker freshness;

  @Override
  public void open(OpenContext openContext) {
    FreshnessTracker tracker = new FreshnessTracker(WINDOW_SECONDS);
    freshness = tracker;
    var group = getRuntimeContext().getMetricGroup().addGroup(JobMetrics.GROUP);
    group.gauge(
        JobMetrics.FRESHNESS_P50_GAUGE,
        (Gauge<Long>) () -> tracker.percentile(0.5, System.currentTimeMillis()));
    group.gauge(
        JobMetrics.FRESHNESS_P99_GAUGE,
        (Gauge<Long>) () -> tracker.percentile(0.99, System.currentTimeMillis()));
    group.gauge(
        JobMetrics.FRESHNESS_EVENTS_GAUGE,
        (Gauge<Long>) () -> tracker.count(System.currentTimeMillis()));
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    // no state: the hook is only for the barrier (snapshotState) that ends an epoch
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    freshness.seal(context.getCheckpointId());
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    freshness.committed(checkpointId, System.currentTimeMillis());
  }

  @Override
  public void processElement(Event event, Context ctx, Collector<Event> out) {
    if (event.producedAt != null) {
      freshness.record(event.producedAt.toEpochMilli());
    }
    out.collect(event);
  }
}
