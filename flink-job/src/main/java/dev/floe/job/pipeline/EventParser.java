package dev.floe.job.pipeline;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.contract.EventContract;
import dev.floe.contract.Instants;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Parses a raw record and checks it against the event contract ({@link EventContract}, shared with
 * producer-service, which checks a client's event with the same rules before it answers 202).
 * Scalar values of extra top-level fields are kept in {@link Event#extra} (they become table
 * columns); extra fields with an object or array value are checked for size and kept out of the
 * table.
 */
public final class EventParser {

  /**
   * Duplicate keys are malformed JSON: the top level's are caught in {@link #read} (a field seen
   * twice), nested objects' by the tree reader (FAIL_ON_READING_DUP_TREE_KEY). The parser's own
   * detection (STRICT_DUPLICATE_DETECTION) would keep a hash set of the names of every object of
   * every record for that.
   */
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
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

    // Each field: a fast check of the shape nearly every event has, which accepts only what the
    // contract accepts; anything else goes to the contract, whose finding is the dead letter's.
    Event event = new Event();
    JsonNode id = root.get(EVENT_ID);
    event.eventId = canonicalUuid(id);
    if (event.eventId == null) {
      fail(EventContract.eventId(id, true), id);
      // canonical lower-case form, so that dedup does not depend on the producer's spelling
      event.eventId = UUID.fromString(id.textValue()).toString();
    }
    JsonNode type = root.get(TYPE_FIELD);
    if (!isPlainType(type)) {
      fail(EventContract.type(type), type);
    }
    event.type = type.textValue();
    fail(EventContract.userId(root.get(USER_ID)), root.get(USER_ID));
    event.userId = text(root.get(USER_ID));
    event.occurredAt = instant(root.get(OCCURRED_AT), true);
    JsonNode properties = root.get(PROPERTIES);
    if (root.plainProperties != null) {
      event.properties = root.plainProperties;
    } else if (properties != null && !properties.isNull()) {
      event.properties = plainProperties(properties);
      if (event.properties == null) {
        List<EventContract.Finding> findings = EventContract.properties(properties);
        if (!findings.isEmpty()) {
          fail(findings.get(0), properties);
        }
        event.properties = properties(properties);
      }
    }
    fail(EventContract.source(root.get(SOURCE)), root.get(SOURCE));
    event.source = text(root.get(SOURCE));
    event.producedAt = instant(root.get(PRODUCED_AT), false);
    if (root.extra != null) {
      List<EventContract.Finding> extra =
          EventContract.extraFields(new java.util.ArrayList<>(root.extra.entrySet()));
      if (!extra.isEmpty()) {
        EventContract.Finding first = extra.get(0);
        fail(first, first.field().isEmpty() ? null : root.extra.get(first.field()));
      }
      event.extra = extra(root.extra);
    }
    if (root.inOrder
        && event.eventId == id.textValue()
        && event.extra == null
        && Instants.isCanonicalUtc(root.get(OCCURRED_AT).textValue())
        && (event.producedAt == null || Instants.isCanonicalUtc(root.get(PRODUCED_AT).textValue()))
        && hasNoBlankOrEscape(value)) {
      event.canonicalJson = value;
    }
    return event;
  }

  /**
   * No whitespace between tokens, no escape inside a string and no character beyond the Basic
   * Multilingual Plane (a 4-byte UTF-8 sequence, which Jackson's generator writes as two escaped
   * surrogates): with the fields in the contract's order, each a string written back byte for byte,
   * the record is what events.clean writes for it, but for ingestedAt.
   */
  static boolean hasNoBlankOrEscape(byte[] value) {
    for (byte b : value) {
      if (b == ' ' || b == '\\' || b == '\n' || b == '\r' || b == '\t' || (b & 0xF8) == 0xF0) {
        return false;
      }
    }
    return value[value.length - 1] == '}';
  }

  /** Throws the dead-letter reason of a finding; its message names the field and the value. */
  private static void fail(EventContract.Finding finding, JsonNode value)
      throws InvalidEventException {
    if (finding == null) {
      return;
    }
    StringBuilder message = new StringBuilder();
    message.append(finding.field().isEmpty() ? "the record" : finding.field());
    message.append(' ').append(finding.message());
    if (value != null && !value.isMissingNode()) {
      message.append(": ").append(abbreviate(value.toString()));
    }
    throw new InvalidEventException(Reason.valueOf(finding.problem().name()), message.toString());
  }

  /** The contract's fields, in the order of {@link Fields#values}. */
  private static final List<String> CONTRACT_FIELDS = EventContract.FIELDS;

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

    /**
     * The properties, read as text in the same walk when plainly within the contract (then {@code
     * values[PROPERTIES]} stays empty); null when they are absent, null, or anything else.
     */
    Map<String, String> plainProperties;

    /**
     * So far, the fields are the contract's, in its order, each a string (the properties an object
     * of strings and nulls): the record may be its own canonical JSON ({@link
     * Event#canonicalJson}).
     */
    boolean inOrder = true;

    int lastField = -1;

    /** A top-level field read: a contract field after the one before, its value as written. */
    void noteField(Integer field, boolean plainValue) {
      inOrder &= field != null && field > lastField && plainValue;
      if (field != null) {
        lastField = field;
      }
    }

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
   * string is decoded (Jackson's UTF-8 parser rejects invalid sequences as it decodes), a duplicate
   * key fails here at the top level and in the tree reader below it, and trailing content fails
   * here. Null for a blank payload, {@link #NOT_AN_OBJECT} for a value that is not an object.
   *
   * <p>The properties are read as text in the same walk ({@link #plainProperties(JsonParser)});
   * when they are anything but plain, the record is read again with a tree of them, which the
   * contract then judges.
   */
  private static Fields read(byte[] value) throws java.io.IOException {
    Fields fields = read(value, true);
    return fields == RETRY ? read(value, false) : fields;
  }

  /** Read again, with a tree of the properties. */
  private static final Fields RETRY = new Fields();

  private static Fields read(byte[] value, boolean plain) throws java.io.IOException {
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
          Integer field = FIELD_INDEX.get(name);
          if (plain
              && token == JsonToken.START_OBJECT
              && field != null
              && field == PROPERTIES
              && fields.plainProperties == null
              && fields.values[PROPERTIES] == null) {
            fields.plainProperties = plainProperties(p, fields);
            if (fields.plainProperties == null) {
              return RETRY;
            }
            fields.noteField(field, true);
            continue;
          }
          JsonNode node =
              token == JsonToken.VALUE_STRING
                  ? TextNode.valueOf(p.getText())
                  : token == JsonToken.VALUE_NULL
                      ? NullNode.getInstance()
                      : VALUE_READER.readTree(p);
          fields.noteField(field, token == JsonToken.VALUE_STRING);
          JsonNode before;
          if (field != null) {
            before = fields.values[field];
            fields.values[field] = node;
          } else {
            if (fields.extra == null) {
              fields.extra = new LinkedHashMap<>();
            }
            before = fields.extra.put(name, node);
          }
          if (before != null
              || (field != null && field == PROPERTIES && fields.plainProperties != null)) {
            throw new JsonParseException(p, "Duplicate field '" + name + "'");
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

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.textValue();
  }

  /**
   * The instant of occurredAt ({@code required}) or producedAt, checked and truncated to
   * microseconds (the precision of Iceberg's timestamptz); null when absent. The usual UTC shape is
   * read once, without the formatter; any other value is checked by the contract first.
   */
  private static Instant instant(JsonNode node, boolean required) throws InvalidEventException {
    Instant fast = node != null && node.isTextual() ? Instants.parseUtc(node.textValue()) : null;
    if (fast == null) {
      fail(required ? EventContract.occurredAt(node) : EventContract.producedAt(node), node);
      if (node == null || node.isNull()) {
        return null;
      }
      fast = Instants.parse(node.textValue());
    }
    int belowMicros = fast.getNano() % 1_000;
    return belowMicros == 0 ? fast : fast.minusNanos(belowMicros);
  }

  /**
   * The id when it is a UUID in canonical lower-case form (8-4-4-4-12 hex digits), the form the
   * producer writes; null for anything else, which the contract then decides. A value accepted here
   * is accepted by the contract and is its own canonical form.
   */
  static String canonicalUuid(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return null;
    }
    String s = node.textValue();
    if (s.length() != 36) {
      return null;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok =
          (i == 8 || i == 13 || i == 18 || i == 23)
              ? c == '-'
              : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!ok) {
        return null;
      }
    }
    return s;
  }

  /**
   * Whether the type keeps {@link EventContract#TYPE_RULE} ({@code [a-z][a-z0-9_.-]{0,63}}),
   * checked without the regex; false sends it to the contract, which has the last word.
   */
  static boolean isPlainType(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return false;
    }
    String s = node.textValue();
    int n = s.length();
    if (n < 1 || n > 64 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The properties as text in one walk when every entry is plainly within the contract (at most
   * {@value EventContract#MAX_PROPERTIES} keys of 1 to {@value EventContract#MAX_NAME_LENGTH}
   * characters, values strings of at most {@value EventContract#MAX_STRING_LENGTH} characters,
   * numbers, booleans or null); null otherwise, and the contract decides.
   */
  private static Map<String, String> plainProperties(JsonNode node) {
    if (!node.isObject() || node.size() > EventContract.MAX_PROPERTIES) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.isEmpty() || key.length() > EventContract.MAX_NAME_LENGTH) {
        return null;
      }
      if (value.isTextual()) {
        if (value.textValue().length() > EventContract.MAX_STRING_LENGTH) {
          return null;
        }
        result.put(key, value.textValue());
      } else if (value.isNull()) {
        result.put(key, null);
      } else if (value.isNumber() || value.isBoolean()) {
        result.put(key, value.asText());
      } else {
        return null;
      }
    }
    return result;
  }

  /**
   * The properties object the parser is at (its START_OBJECT), read as text up to its END_OBJECT
   * when every entry is a plain string, an integer, a boolean or null within the contract's bounds
   * ({@link #plainProperties(JsonNode)} decides the same), noting in {@code fields} a value that is
   * not a string or null; null for anything else (also a duplicate key or a syntax error inside),
   * and the record is read again as a tree.
   */
  private static Map<String, String> plainProperties(JsonParser p, Fields fields) {
    try {
      Map<String, String> result = new LinkedHashMap<>();
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (key.isEmpty()
            || key.length() > EventContract.MAX_NAME_LENGTH
            || result.size() == EventContract.MAX_PROPERTIES
            || result.containsKey(key)) {
          return null;
        }
        String text;
        switch (p.nextToken()) {
          case VALUE_STRING -> {
            text = p.getText();
            if (text.length() > EventContract.MAX_STRING_LENGTH) {
              return null;
            }
          }
          case VALUE_NULL -> text = null;
          case VALUE_TRUE -> {
            text = "true";
            fields.inOrder = false; // events.clean writes it as a string
          }
          case VALUE_FALSE -> {
            text = "false";
            fields.inOrder = false;
          }
          case VALUE_NUMBER_INT -> {
            // the literal is the number's text (JSON has no leading zeros or '+'), but for -0
            fields.inOrder = false;
            text = p.getText();
            if (text.equals("-0")) {
              return null;
            }
          }
          default -> {
            return null; // a fraction or exponent (its text is the tree's), an object, an array
          }
        }
        result.put(key, text);
      }
      return token == JsonToken.END_OBJECT ? result : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** Checked properties as text; a JSON null stays a null value: "key present, no value". */
  private static Map<String, String> properties(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      result.put(field.getKey(), value.isNull() ? null : value.asText());
    }
    return result;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
