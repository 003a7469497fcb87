package dev.floe.job.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A validated event on its way to the sinks. A Flink POJO (public fields, no-arg constructor) so
 * that Flink serializes it with its own POJO serializer, never Kryo.
 */
public class Event {
  public String eventId;
  public String type;
  public String userId;
  public Instant occurredAt;

  /** Flat object: every value as its JSON text (strings unquoted); null when absent. */
  public Map<String, String> properties;

  public String source;
  public Instant producedAt;
  public Instant ingestedAt;
  public int kafkaPartition;
  public long kafkaOffset;

  /**
   * Top-level fields outside the contract (scalars only), by their name as sent, each value tagged
   * with its JSON type ({@link dev.floe.job.pipeline.ExtraFields}); null when there are none.
   */
  public Map<String, String> extra;

  /** The 128 bits the record was shuffled and deduplicated by ({@link RawRecord#idHi}). */
  public long idHi;

  /** The other half ({@link RawRecord#idLo}). */
  public long idLo;

  /**
   * The raw record when it is already this event's events.clean JSON without ingestedAt (the
   * contract's fields in its order, strings as written, no whitespace, canonical instants; set by
   * the parser), else null: the clean sink then appends ingestedAt instead of writing the JSON
   * again. A copy of what the other fields say, so not part of equality.
   */
  public byte[] canonicalJson;

  public Event() {}

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Event e)) {
      return false;
    }
    return kafkaPartition == e.kafkaPartition
        && kafkaOffset == e.kafkaOffset
        && Objects.equals(eventId, e.eventId)
        && Objects.equals(type, e.type)
        && Objects.equals(userId, e.userId)
        && Objects.equals(occurredAt, e.occurredAt)
        && Objects.equals(properties, e.properties)
        && Objects.equals(source, e.source)
        && Objects.equals(producedAt, e.producedAt)
        && Objects.equals(ingestedAt, e.ingestedAt)
        && Objects.equals(extra, e.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, kafkaPartition, kafkaOffset);
  }

  @Override
  public String toString() {
    return "Event{" + eventId + ", " + type + ", " + occurredAt + "}";
  }
}
