package dev.floe.job.pipeline;

import dev.floe.job.model.Event;
import java.time.Clock;
import java.time.Instant;

/** Stamps {@code ingestedAt} on an event that goes on to the clean sinks. */
public final class EnrichFunction {
  private EnrichFunction() {}

  public static Event enrich(Event event, Clock clock) {
    // micro precision: what Iceberg's timestamptz stores, so Kafka and the table agree
    Instant now = clock.instant();
    event.ingestedAt = now.minusNanos(now.getNano() % 1000);
    return event;
  }
}
