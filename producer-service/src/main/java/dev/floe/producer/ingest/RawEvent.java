package dev.floe.producer.ingest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The record value written to {@code events.raw}: the client's event, normalised (UUID in lower
 * case, {@code occurredAt} in UTC), plus the replica that produced it and when. Every field is
 * always present; {@code userId} is null when the client sent none, {@code properties} is then {}.
 * The client's extra top-level fields follow, unchanged (the job makes columns of them).
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
    String producedAt,
    @JsonIgnore Map<String, JsonNode> extra) {

  /** An event without extra fields. */
  public RawEvent(
      String eventId,
      String type,
      String userId,
      String occurredAt,
      Map<String, Object> properties,
      String source,
      String producedAt) {
    this(eventId, type, userId, occurredAt, properties, source, producedAt, Map.of());
  }

  /** The extra fields, written at the top level after the contract's. */
  @JsonAnyGetter
  public Map<String, JsonNode> extraFields() {
    return extra;
  }

  /** Kafka key: the user, so one user's events stay in order on one partition; else the event. */
  public String kafkaKey() {
    return userId != null ? userId : eventId;
  }
}
