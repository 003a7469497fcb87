package dev.floe.producer.ingest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The record value written to {@code events.raw}: the client's event, normalised (UUID in lower
 * case, {@code occurredAt} in UTC), plus the replica that produced it and when. Every field is
 * always present; {@code userId} is null when the client sent none, {@code properties} is then {}.
 */
@JsonPropertyOrder({
  "eventId",
  "type",
  "userId",
  "occurredAt",
  "properties",
  "source",
  "producedAt"
})
public record RawEvent(
    String eventId,
    String type,
    String userId,
    String occurredAt,
    Map<String, Object> properties,
    String source,
    String producedAt) {

  /** Kafka key: the user, so one user's events stay in order on one partition; else the event. */
  public String kafkaKey() {
    return userId != null ? userId : eventId;
  }
}
