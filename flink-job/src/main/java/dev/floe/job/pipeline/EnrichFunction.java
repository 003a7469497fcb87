package dev.floe.job.pipeline;

import dev.floe.job.model.Event;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/** Stamps {@code ingestedAt}; counts the events that go on to the clean sinks. */
public final class EnrichFunction extends RichMapFunction<Event, Event> {

  private transient Counter cleanOut;

  @Override
  public void open(OpenContext openContext) {
    cleanOut = getRuntimeContext().getMetricGroup().addGroup("floe").counter("cleanOut");
  }

  @Override
  public Event map(Event event) {
    cleanOut.inc();
    return enrich(event, Clock.systemUTC());
  }

  public static Event enrich(Event event, Clock clock) {
    // micro precision: what Iceberg's timestamptz stores, so Kafka and the table agree
    Instant now = clock.instant();
    event.ingestedAt = now.minusNanos(now.getNano() % 1000);
    return event;
  }
}
