package dev.floe.job.pipeline;

import dev.floe.job.model.Event;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/** Stamps {@code ingestedAt} on an event that goes on to the clean sinks. */
public final class StampIngestedAt implements MapFunction<Event, Event> {
  private final Clock clock;

  public StampIngestedAt(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Event map(Event event) {
    return stamp(event, clock);
  }

  /** Sets {@code ingestedAt} to now, in micro precision. */
  public static Event stamp(Event event, Clock clock) {
    // micro precision: what Iceberg's timestamptz stores, so Kafka and the table agree
    Instant now = clock.instant();
    event.ingestedAt = now.minusNanos(now.getNano() % 1000);
    return event;
  }
}
