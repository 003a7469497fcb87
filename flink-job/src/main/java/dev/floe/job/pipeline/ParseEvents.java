package dev.floe.job.pipeline;

import dev.floe.contract.JobMetrics;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses a raw record and checks it against the event contract ({@link EventParser}). A record that
 * fails goes to {@link DeadLetters#DEAD_LETTERS} with its reason and its original bytes; a valid
 * one goes on as an {@link Event} carrying the key it was shuffled by ({@link EventKey}), so the
 * next step can read it as the same keyed stream without another shuffle.
 *
 * <p>It runs after the shuffle by id (the shuffle carries the raw bytes, cheaper to move than a
 * parsed event) and holds no state.
 */
public final class ParseEvents extends KeyedProcessFunction<Tuple2<Long, Long>, RawRecord, Event> {
  private transient Counter recordsIn;
  private transient Counter deadLettered;

  @Override
  public void open(OpenContext openContext) {
    var group = getRuntimeContext().getMetricGroup().addGroup(JobMetrics.GROUP);
    recordsIn = group.counter(JobMetrics.RECORDS_IN_COUNTER);
    deadLettered = group.counter(JobMetrics.DEAD_LETTERED_COUNTER);
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<Event> out) {
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
    event.idHi = record.idHi;
    event.idLo = record.idLo;
    out.collect(event);
  }
}
