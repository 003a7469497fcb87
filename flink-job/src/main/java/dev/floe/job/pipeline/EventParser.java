package dev.floe.job.pipeline;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
    Fields root;
    try {
      root = read(value);
    } catch (JsonProcessingException e) {
      if (!isUtf8(value)) {
        throw new InvalidEventException(Reason.NOT_UTF8, "payload is not valid UTF-8");
      }
      throw new InvalidEventException(
          Reason.MALFORMED_JSON, "payload is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidEventException(Reason.MALFORMED_JSON, "payload is not valid JSON");
    }
    if (root == null) {
      if (!isUtf8(value)) {
        throw new InvalidEventException(Reason.NOT_UTF8, "payload is not valid UTF-8");
      }
      throw new InvalidEventException(Reason.EMPTY_PAYLOAD, "payload is blank");
    }
    if (root == NOT_AN_OBJECT) {
      throw new InvalidEventException(Reason.NOT_AN_OBJECT, "payload is not a JSON object");
    }

    Event event = new Event();
    event.eventId = eventId(root.get(EVENT_ID));
    event.type = type(root.get(TYPE_FIELD));
    event.userId = optionalText(root.get(USER_ID), "userId", Reason.INVALID_USER_ID);
    event.occurredAt =
        instant(
            root.get(OCCURRED_AT),
            "occurredAt",
            Reason.MISSING_OCCURRED_AT,
            Reason.INVALID_OCCURRED_AT);
    event.properties = properties(root.get(PROPERTIES));
    event.source = optionalText(root.get(SOURCE), "source", Reason.INVALID_SOURCE);
    event.producedAt =
        instant(root.get(PRODUCED_AT), "producedAt", null, Reason.INVALID_PRODUCED_AT);
    if (root.extra != null) {
      event.extra = extra(root.extra);
    }
    return event;
  }

  /** The contract's fields, in the order of {@link Fields#values}. */
  private static final java.util.List<String> CONTRACT_FIELDS =
      java.util.List.of(
          "eventId", "type", "userId", "occurredAt", "properties", "source", "producedAt");

  /** Position of each contract field: one hash lookup per field on the record path. */
  private static final Map<String, Integer> FIELD_INDEX = fieldIndex();

  private static Map<String, Integer> fieldIndex() {
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < CONTRACT_FIELDS.size(); i++) {
      index.put(CONTRACT_FIELDS.get(i), i);
    }
    return Map.copyOf(index);
  }

  private static final int EVENT_ID = 0;
  private static final int TYPE_FIELD = 1;
  private static final int USER_ID = 2;
  private static final int OCCURRED_AT = 3;
  private static final int PROPERTIES = 4;
  private static final int SOURCE = 5;
  private static final int PRODUCED_AT = 6;

  /** The top-level fields of a record: the contract's by position, the others by name. */
  private static final class Fields {
    final JsonNode[] values = new JsonNode[CONTRACT_FIELDS.size()];
    Map<String, JsonNode> extra;

    JsonNode get(int field) {
      return values[field];
    }
  }

  private static final Fields NOT_AN_OBJECT = new Fields();

  /** Reads one value in the middle of the record: the trailing check is the record's, in read. */
  private static final com.fasterxml.jackson.databind.ObjectReader VALUE_READER =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * One streaming pass over the whole record (so a syntax error anywhere still ranks before a
   * contract error, as with a tree), keeping only the top-level values: no tree of the root. Every
   * string is decoded (Jackson's UTF-8 parser rejects invalid sequences as it decodes), duplicate
   * keys fail the parser (STRICT_DUPLICATE_DETECTION) and trailing content fails here. Null for a
   * blank payload, {@link #NOT_AN_OBJECT} for a value that is not an object.
   */
  private static Fields read(byte[] value) throws java.io.IOException {
    try (JsonParser p = MAPPER.createParser(value)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      Fields fields;
      if (first != JsonToken.START_OBJECT) {
        VALUE_READER.readTree(p); // the whole value, so that its errors still count
        fields = NOT_AN_OBJECT;
      } else {
        fields = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken token = p.nextToken();
          JsonNode node =
              token == JsonToken.VALUE_STRING
                  ? TextNode.valueOf(p.getText())
                  : token == JsonToken.VALUE_NULL
                      ? NullNode.getInstance()
                      : VALUE_READER.readTree(p);
          Integer field = FIELD_INDEX.get(name);
          if (field != null) {
            fields.values[field] = node;
          } else {
            if (fields.extra == null) {
              fields.extra = new LinkedHashMap<>();
            }
            fields.extra.put(name, node);
          }
        }
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new JsonParseException(
            p, "Trailing token (of type " + trailing + ") found after the value: not allowed");
      }
      return fields;
    }
  }

  private static Map<String, String> extra(Map<String, JsonNode> fields) {
    Map<String, String> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
      String tagged = ExtraFields.encode(field.getValue());
      if (tagged != null) {
        extra.put(field.getKey(), tagged);
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
