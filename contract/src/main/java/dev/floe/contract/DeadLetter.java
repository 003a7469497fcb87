package dev.floe.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A record of {@code events.dlq}: a raw record the job could not use (or a range Kafka deleted
 * before the job read it), with the reason, bound for the dead-letter topic. The job writes it and
 * every view reads it through this one definition: its fields, its JSON shape ({@link #toJson},
 * {@link #fromJson}) and its {@link Reason reasons}.
 *
 * <p>A Flink POJO (public fields, a public no-argument constructor): it travels through the job's
 * side output with Flink's own serializer, never Kryo.
 *
 * <pre>{"reason", "detail", "payload", "payloadEncoding", "topic", "partition", "offset",
 *  "timestamp" (ISO-8601), "deadLetteredAt" (ISO-8601)}</pre>
 */
public class DeadLetter {

  /** Why a record was dead-lettered; the name is the stable {@code reason} field. */
  public enum Reason {
    EMPTY_PAYLOAD,
    NOT_UTF8,
    MALFORMED_JSON,
    NOT_AN_OBJECT,
    MISSING_EVENT_ID,
    INVALID_EVENT_ID,
    MISSING_TYPE,
    INVALID_TYPE,
    INVALID_USER_ID,
    MISSING_OCCURRED_AT,
    INVALID_OCCURRED_AT,
    INVALID_PROPERTIES,
    INVALID_SOURCE,
    INVALID_PRODUCED_AT,
    /**
     * Extra top-level fields past the contract's bounds: too many, a name too long or mapping to a
     * contract column or to another field's column, a value too long.
     */
    INVALID_EXTRA_FIELD,
    /** An extra field whose value does not fit its table column, or maps to a contract column. */
    SCHEMA_CONFLICT,
    /**
     * Not a record but a range of them: offsets Kafka's retention deleted before the job read them
     * (the dead letter names the partition, the first offset and the range in its detail).
     */
    RETENTION_GAP
  }

  /** {@link #payloadEncoding} of a payload that is UTF-8 text, kept as it was. */
  public static final String UTF_8 = "utf-8";

  /** {@link #payloadEncoding} of a payload that is not UTF-8: its bytes in base64. */
  public static final String BASE64 = "base64";

  /** {@link #payloadEncoding} of a record without a value (a tombstone, a retention gap). */
  public static final String NONE = "none";

  /** Stable reason code, the name of one {@link Reason}. */
  public String reason;

  /** Human-readable detail of the reason. */
  public String detail;

  /** The original value: its text when it is UTF-8, otherwise base64; null without a value. */
  public String payload;

  /** {@link #UTF_8}, {@link #BASE64} or {@link #NONE}. */
  public String payloadEncoding;

  /** The topic of the record it stands for. */
  public String topic;

  /** The partition of the record it stands for. */
  public int partition;

  /** The offset of the record it stands for (the first offset of a retention gap). */
  public long offset;

  /** Kafka record timestamp, epoch milliseconds. */
  public long timestamp;

  /** When the job dead-lettered it, epoch milliseconds. */
  public long deadLetteredAt;

  /** An empty dead letter, for Flink and for the builders that fill it. */
  public DeadLetter() {}

  /**
   * Where the record came from, as the views show it.
   *
   * @return {@code topic/partition@offset}
   */
  public String from() {
    return topic + "/" + partition + "@" + offset;
  }

  /**
   * The record's key in {@code events.dlq}: the record it stands for.
   *
   * @return {@code topic/partition/offset}
   */
  public String key() {
    return topic + "/" + partition + "/" + offset;
  }

  /**
   * The record's value in {@code events.dlq}.
   *
   * @param node an empty object node of the caller's Jackson
   * @return the node, filled
   */
  public ObjectNode toJson(ObjectNode node) {
    node.put("reason", reason);
    node.put("detail", detail);
    node.put("payload", payload);
    node.put("payloadEncoding", payloadEncoding);
    node.put("topic", topic);
    node.put("partition", partition);
    node.put("offset", offset);
    node.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
    node.put("deadLetteredAt", Instant.ofEpochMilli(deadLetteredAt).toString());
    return node;
  }

  /**
   * Reads a value of {@code events.dlq}. A field that is missing keeps its default: the reason
   * {@code UNKNOWN}, the detail empty, the payload null, the encoding {@link #UTF_8}, and the times
   * the given record timestamp.
   *
   * @param n the parsed value
   * @param recordTimestamp the Kafka timestamp of the dead-letter record, epoch milliseconds
   * @return the dead letter
   */
  public static DeadLetter fromJson(JsonNode n, long recordTimestamp) {
    DeadLetter d = new DeadLetter();
    d.reason = n.path("reason").asText("UNKNOWN");
    d.detail = n.path("detail").asText("");
    d.payload = n.hasNonNull("payload") ? n.get("payload").asText() : null;
    d.payloadEncoding = n.path("payloadEncoding").asText(UTF_8);
    d.topic = n.path("topic").asText("");
    d.partition = n.path("partition").asInt();
    d.offset = n.path("offset").asLong();
    d.timestamp = instant(n.path("timestamp"), recordTimestamp);
    d.deadLetteredAt = instant(n.path("deadLetteredAt"), recordTimestamp);
    return d;
  }

  private static long instant(JsonNode n, long otherwise) {
    if (!n.isTextual()) {
      return otherwise;
    }
    try {
      return Instant.parse(n.asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return otherwise;
    }
  }
}
