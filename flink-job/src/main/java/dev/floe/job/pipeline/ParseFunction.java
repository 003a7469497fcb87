package dev.floe.job.pipeline;

import dev.floe.job.model.DeadLetter;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Valid events go to the main output; every other record goes to {@link #DEAD_LETTERS} with its
 * reason. Nothing here throws for a bad record, so a bad record can neither be lost nor fail the
 * job.
 */
public final class ParseFunction extends ProcessFunction<RawRecord, Event> {

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>(
          "dead-letters",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class));

  private transient Counter recordsIn;
  private transient Counter deadLettered;

  @Override
  public void open(OpenContext openContext) {
    var group = getRuntimeContext().getMetricGroup().addGroup("floe");
    recordsIn = group.counter("recordsIn");
    deadLettered = group.counter("deadLettered");
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
          DEAD_LETTERS,
          DeadLetters.of(record, e.reason(), e.getMessage(), System.currentTimeMillis()));
      return;
    }
    out.collect(event);
  }
}
