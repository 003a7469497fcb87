package dev.floe.job.pipeline;

import dev.floe.contract.JobMetrics;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parse, validate, deduplicate and enrich, after the shuffle by eventId: the stream arrives keyed
 * by the 128 bits of the id ({@link #KEY}), as raw bytes, so the one parse happens here and the
 * shuffle carries no parsed object.
 *
 * <p>A record that fails the contract goes to {@link ParseFunction#DEAD_LETTERS} with its reason
 * and touches no state. Of the valid ones, the first of an id passes (stamped with {@code
 * ingestedAt}), later ones within the TTL are dropped and counted. The TTL runs from the first
 * sighting (processing time) and is not extended by duplicates, so an id is forgotten a fixed time
 * after it arrived.
 *
 * <p>State: one entry per id, keyed by 16 bytes. On RocksDB (the job's default) expired ids are
 * dropped by the TTL compaction filter and checkpoints are incremental, so neither heap nor
 * checkpoint cost grows with rate x TTL; on the heap backend they are removed incrementally while
 * records flow and from full snapshots.
 */
public final class DeduplicateFunction
    extends KeyedProcessFunction<Tuple2<Long, Long>, RawRecord, Event> {

  static final String STATE_NAME = "seen";

  /** The key: the id's two halves. */
  public static final KeySelector<RawRecord, Tuple2<Long, Long>> KEY = new IdKey();

  public static final TypeInformation<Tuple2<Long, Long>> KEY_TYPE =
      Types.TUPLE(Types.LONG, Types.LONG);

  private final Duration ttl;
  private transient ValueState<Boolean> seen;
  private transient Counter recordsIn;
  private transient Counter deadLettered;
  private transient Counter duplicates;
  private transient Counter cleanOut;
  private transient Clock clock;

  public DeduplicateFunction(Duration ttl) {
    this.ttl = ttl;
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
    recordsIn = group.counter(JobMetrics.RECORDS_IN_COUNTER);
    deadLettered = group.counter(JobMetrics.DEAD_LETTERED_COUNTER);
    duplicates = group.counter(JobMetrics.DUPLICATES_DROPPED_COUNTER);
    cleanOut = group.counter(JobMetrics.CLEAN_OUT_COUNTER);
    clock = Clock.systemUTC();
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<Event> out) throws Exception {
    recordsIn.inc();
    Event event;
    try {
      event = EventParser.parse(record);
    } catch (InvalidEventException e) {
      deadLettered.inc();
      ctx.output(
          DeadLetters.DEAD_LETTERS,
          DeadLetters.of(record, e.reason(), e.getMessage(), System.currentTimeMillis()));
      return;
    }
    if (seen.value() != null) {
      duplicates.inc();
      return;
    }
    seen.update(Boolean.TRUE);
    cleanOut.inc();
    out.collect(EnrichFunction.enrich(event, clock));
  }

  private static final class IdKey implements KeySelector<RawRecord, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> getKey(RawRecord record) {
      return Tuple2.of(record.idHi, record.idLo);
    }
  }
}
