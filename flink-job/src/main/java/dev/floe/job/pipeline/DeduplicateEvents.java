package dev.floe.job.pipeline;

import dev.floe.contract.JobMetrics;
import dev.floe.job.model.Event;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes the first event of each id and drops the later ones within the TTL ({@code
 * floe.dedup.ttl}), keyed by {@link EventKey}. The TTL runs from the first sighting (processing
 * time) and is not extended by duplicates, so an id is forgotten a fixed time after it arrived.
 * Only valid events reach it ({@link ParseEvents}), so a record that fails the contract never
 * claims an id.
 *
 * <p>State: one entry per id, keyed by 16 bytes. On RocksDB (the job's default) expired ids are
 * dropped by the TTL compaction filter and checkpoints are incremental, so neither heap nor
 * checkpoint cost grows with rate x TTL; on the heap backend they are removed incrementally while
 * records flow and from full snapshots.
 *
 * <p>In front of the state, a {@link SeenIdFilter} on the heap ({@code floe.dedup.filter-memory})
 * answers "certainly new" for nearly every id without reading the state, which then is only
 * written; a "maybe seen", and every id while the filter is not complete (after a restore, until
 * the TTL has passed), is read from the state.
 */
public final class DeduplicateEvents extends KeyedProcessFunction<Tuple2<Long, Long>, Event, Event>
    implements CheckpointedFunction {

  static final String STATE_NAME = "seen";

  /** The filter's memory when not given: about 3 million ids per subtask within the TTL. */
  public static final long DEFAULT_FILTER_BYTES = 32L << 20;

  private final Duration ttl;
  private final long filterBytes;
  private transient boolean restored;
  private transient SeenIdFilter filter;
  private transient ValueState<Boolean> seen;
  private transient Counter duplicates;
  private transient Counter cleanOut;

  public DeduplicateEvents(Duration ttl) {
    this(ttl, DEFAULT_FILTER_BYTES);
  }

  /**
   * @param ttl how long an id is remembered
   * @param filterBytes memory of the in-heap filter per subtask; 0 reads the state for every id
   */
  public DeduplicateEvents(Duration ttl, long filterBytes) {
    this.ttl = ttl;
    this.filterBytes = filterBytes;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    restored = context.isRestored();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // the filter is rebuilt after a restore, never checkpointed
  }

  @Override
  public void open(OpenContext openContext) {
    StateTtlConfig ttlConfig =
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            // RocksDB: expired ids leave in compaction (the timestamp is re-read after this many
            // entries), no work on the record path
            .cleanupInRocksdbCompactFilter(1000)
            // heap backend: check a few entries per record, bounded work that keeps the heap
            // from holding expired ids until they happen to be read again
            .cleanupIncrementally(10, true)
            .cleanupFullSnapshot()
            .build();
    ValueStateDescriptor<Boolean> descriptor =
        new ValueStateDescriptor<>(STATE_NAME, Types.BOOLEAN);
    descriptor.enableTimeToLive(ttlConfig);
    seen = getRuntimeContext().getState(descriptor);
    var group = getRuntimeContext().getMetricGroup().addGroup(JobMetrics.GROUP);
    duplicates = group.counter(JobMetrics.DUPLICATES_DROPPED_COUNTER);
    cleanOut = group.counter(JobMetrics.CLEAN_OUT_COUNTER);
    filter = new SeenIdFilter(ttl.toMillis(), filterBytes, System.currentTimeMillis(), restored);
  }

  @Override
  public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
    // the state's TTL runs on the same clock (processing time, System.currentTimeMillis)
    if (!filter.putIfNew(event.idHi, event.idLo, System.currentTimeMillis())
        && seen.value() != null) {
      duplicates.inc();
      return;
    }
    seen.update(Boolean.TRUE);
    cleanOut.inc();
    out.collect(event);
  }
}
