package dev.floe.job.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.floe.contract.Instants;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Parses and validates a raw record against the event contract (docs/architecture.md): {@code
 * eventId} UUID, {@code type} lower-case identifier, {@code occurredAt} ISO-8601 instant (all
 * required); {@code userId}, {@code properties} (flat object), {@code source}, {@code producedAt}
 * optional but type-checked. Other top-level fields with a scalar value are kept in {@link
 * Event#extra} (they become table columns); other fields with an object or array value are ignored.
 */
public final class EventParser {

  /** Lower-case identifier: a letter, then letters, digits, '_', '.' or '-'; at most 64 chars. */
  static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private EventParser() {}

  public static Event parse(RawRecord record) throws InvalidEventException {
    Event event = parse(record.value);
    event.kafkaPartition = record.partition;
    event.kafkaOffset = record.offset;
    return event;
  }

  /** occurredAt/producedAt are truncated to microseconds, the precision of Iceberg timestamptz. */
  public static Event parse(byte[] value) throws InvalidEventException {
    if (value == null || value.length == 0) {
      throw new InvalidEventException(Reason.EMPTY_PAYLOAD, "record has no value");
    }
    JsonNode root;
    try {
      // straight from the bytes: Jackson's UTF-8 parser rejects invalid sequences as it decodes
      // every string of the tree, so no separate decode (and String copy) per record
      root = MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      if (!isUtf8(value)) {
        throw new InvalidEventException(Reason.NOT_UTF8, "payload is not valid UTF-8");
      }
      throw new InvalidEventException(
          Reason.MALFORMED_JSON, "payload is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidEventException(Reason.MALFORMED_JSON, "payload is not valid JSON");
    }
    if (root == null || root.isMissingNode()) {
      if (!isUtf8(value)) {
        throw new InvalidEventException(Reason.NOT_UTF8, "payload is not valid UTF-8");
      }
      throw new InvalidEventException(Reason.EMPTY_PAYLOAD, "payload is blank");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(Reason.NOT_AN_OBJECT, "payload is not a JSON object");
    }

    Event event = new Event();
    event.eventId = eventId(root.get("eventId"));
    event.type = type(root.get("type"));
    event.userId = optionalText(root.get("userId"), "userId", Reason.INVALID_USER_ID);
    event.occurredAt =
        instant(
            root.get("occurredAt"),
            "occurredAt",
            Reason.MISSING_OCCURRED_AT,
            Reason.INVALID_OCCURRED_AT);
    event.properties = properties(root.get("properties"));
    event.source = optionalText(root.get("source"), "source", Reason.INVALID_SOURCE);
    event.producedAt =
        instant(root.get("producedAt"), "producedAt", null, Reason.INVALID_PRODUCED_AT);
    if (root.size() > CONTRACT_FIELDS.size() || !CONTRACT_FIELDS.containsAll(fieldNames(root))) {
      event.extra = extra(root);
    }
    return event;
  }

  private static final java.util.Set<String> CONTRACT_FIELDS =
      java.util.Set.of(
          "eventId", "type", "userId", "occurredAt", "properties", "source", "producedAt");

  private static java.util.List<String> fieldNames(JsonNode root) {
    java.util.List<String> names = new java.util.ArrayList<>(root.size());
    root.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> extra(JsonNode root) {
    Map<String, String> extra = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!CONTRACT_FIELDS.contains(field.getKey())) {
        String tagged = ExtraFields.encode(field.getValue());
        if (tagged != null) {
          extra.put(field.getKey(), tagged);
        }
      }
    }
    return extra.isEmpty() ? null : extra;
  }

  static boolean isUtf8(byte[] value) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static String eventId(JsonNode node) throws InvalidEventException {
    if (absent(node)) {
      throw new InvalidEventException(Reason.MISSING_EVENT_ID, "eventId is missing");
    }
    if (!node.isTextual() || !UUID_TEXT.matcher(node.textValue()).matches()) {
      throw new InvalidEventException(
          Reason.INVALID_EVENT_ID, "eventId is not a UUID: " + abbreviate(node.toString()));
    }
    // canonical lower-case form, so that dedup does not depend on the producer's spelling
    return UUID.fromString(node.textValue()).toString();
  }

  private static String type(JsonNode node) throws InvalidEventException {
    if (absent(node)) {
      throw new InvalidEventException(Reason.MISSING_TYPE, "type is missing");
    }
    if (!node.isTextual() || !TYPE.matcher(node.textValue()).matches()) {
      throw new InvalidEventException(
          Reason.INVALID_TYPE,
          "type is not a lower-case identifier ([a-z][a-z0-9_.-]{0,63}): "
              + abbreviate(node.toString()));
    }
    return node.textValue();
  }

  private static String optionalText(JsonNode node, String field, Reason reason)
      throws InvalidEventException {
    if (absent(node)) {
      return null;
    }
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw new InvalidEventException(
          reason, field + " must be a non-blank string: " + abbreviate(node.toString()));
    }
    return node.textValue();
  }

  private static Instant instant(JsonNode node, String field, Reason missing, Reason invalid)
      throws InvalidEventException {
    if (absent(node)) {
      if (missing != null) {
        throw new InvalidEventException(missing, field + " is missing");
      }
      return null;
    }
    if (node.isTextual()) {
      try {
        // the usual UTC shape without the formatter; every other spelling as before
        Instant fast = Instants.parseUtc(node.textValue());
        return (fast != null ? fast : Instant.parse(node.textValue()))
            .truncatedTo(ChronoUnit.MICROS);
      } catch (DateTimeParseException e) {
        // fall through
      }
    }
    throw new InvalidEventException(
        invalid,
        field
            + " is not an ISO-8601 instant (e.g. 2025-01-31T12:00:00Z): "
            + abbreviate(node.toString()));
  }

  private static Map<String, String> properties(JsonNode node) throws InvalidEventException {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidEventException(
          Reason.INVALID_PROPERTIES,
          "properties must be a JSON object: " + abbreviate(node.toString()));
    }
    Map<String, String> result = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw new InvalidEventException(
            Reason.INVALID_PROPERTIES,
            "properties must be a flat object; property '" + field.getKey() + "' is nested");
      }
      // a JSON null stays a null map value: "key present, no value" is information too
      result.put(field.getKey(), value.isNull() ? null : value.asText());
    }
    return result;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
