package dev.floe.job.pipeline;

import dev.floe.job.model.Event;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by eventId: the first event of an id passes, later ones within the TTL are dropped (and
 * counted). The TTL runs from the first sighting (processing time) and is not extended by
 * duplicates, so that an id is forgotten a fixed time after it arrived.
 *
 * <p>State is one boolean per id; expired entries are removed incrementally while records flow
 * (heap backend), by compaction (RocksDB) and from full snapshots.
 */
public final class DeduplicateFunction extends KeyedProcessFunction<String, Event, Event> {

  static final String STATE_NAME = "seen";

  private final Duration ttl;
  private transient ValueState<Boolean> seen;
  private transient Counter duplicates;

  public DeduplicateFunction(Duration ttl) {
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext openContext) {
    StateTtlConfig ttlConfig =
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            // check a few entries per record: bounded work that keeps the heap from holding
            // expired ids until they happen to be read again
            .cleanupIncrementally(10, true)
            .cleanupFullSnapshot()
            .build();
    ValueStateDescriptor<Boolean> descriptor =
        new ValueStateDescriptor<>(STATE_NAME, Types.BOOLEAN);
    descriptor.enableTimeToLive(ttlConfig);
    seen = getRuntimeContext().getState(descriptor);
    duplicates = getRuntimeContext().getMetricGroup().addGroup("floe").counter("duplicatesDropped");
  }

  @Override
  public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
    if (seen.value() != null) {
      duplicates.inc();
      return;
    }
    seen.update(Boolean.TRUE);
    out.collect(event);
  }
}
