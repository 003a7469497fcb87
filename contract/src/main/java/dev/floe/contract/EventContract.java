package dev.floe.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event contract, once: field names, the rule of each field, and the bounds of properties and
 * of extra top-level fields. producer-service checks a client's event with it before answering 202,
 * and the Flink job checks every record of {@code events.raw} with it before the table; both get
 * the same findings for the same JSON, so an event the HTTP API accepts never becomes a dead letter
 * for breaking the contract, and the other way round.
 *
 * <p>The checks work on Jackson's tree of the event's top-level values (each side parses the bytes
 * its own way: the service binds a request, the job streams a record); JSON syntax, duplicate keys
 * and invalid UTF-8 are each side's parser's business and refused by both.
 *
 * <ul>
 *   <li>{@code eventId}: a UUID string. Required in {@code events.raw}; a client may leave it out
 *       and the producer assigns one.
 *   <li>{@code type}: required, a string matching {@link #TYPE_RULE}.
 *   <li>{@code userId}: optional, a non-blank string of at most {@value #MAX_USER_ID_LENGTH}
 *       characters.
 *   <li>{@code occurredAt}: required, an ISO-8601 instant with an offset ({@link Instants#parse}).
 *   <li>{@code properties}: optional, a flat object of at most {@value #MAX_PROPERTIES} keys (1 to
 *       {@value #MAX_NAME_LENGTH} characters) whose values are strings (at most {@value
 *       #MAX_STRING_LENGTH} characters), numbers, booleans or null.
 *   <li>{@code source}, {@code producedAt}: set by the producer (a client's values are replaced);
 *       in a raw record a non-blank string and an instant when present.
 *   <li>Any other top-level field is an extra field, which becomes a table column: at most {@value
 *       #MAX_EXTRA_FIELDS}, named with 1 to {@value #MAX_NAME_LENGTH} characters, no two mapping to
 *       the same column name ({@link #columnName}) nor one to a contract column; a string value of
 *       at most {@value #MAX_STRING_LENGTH} characters, a number, a boolean or null become the
 *       column's value, an object or array (at most {@value #MAX_STRING_LENGTH} characters of JSON)
 *       is kept out of the table.
 * </ul>
 *
 * A JSON null counts as absent for every field.
 */
public final class EventContract {
  public static final String EVENT_ID = "eventId";
  public static final String TYPE = "type";
  public static final String USER_ID = "userId";
  public static final String OCCURRED_AT = "occurredAt";
  public static final String PROPERTIES = "properties";
  public static final String SOURCE = "source";
  public static final String PRODUCED_AT = "producedAt";

  /** The contract's top-level fields, in record order. */
  public static final List<String> FIELDS =
      List.of(EVENT_ID, TYPE, USER_ID, OCCURRED_AT, PROPERTIES, SOURCE, PRODUCED_AT);

  /** Fields the producer sets on every record it writes. */
  public static final Set<String> PRODUCER_FIELDS = Set.of(SOURCE, PRODUCED_AT);

  /** The rule of {@code type}: a letter, then letters, digits, '_', '.' or '-'; at most 64. */
  public static final String TYPE_RULE = "[a-z][a-z0-9_.-]{0,63}";

  private static final Pattern TYPE_PATTERN = Pattern.compile(TYPE_RULE);
  private static final Pattern UUID_PATTERN =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public static final int MAX_USER_ID_LENGTH = 128;
  public static final int MAX_PROPERTIES = 50;
  public static final int MAX_NAME_LENGTH = 64;
  public static final int MAX_STRING_LENGTH = 1024;
  public static final int MAX_EXTRA_FIELDS = 20;

  /**
   * Table columns of the contract (and of the job's bookkeeping): an extra field mapping to one of
   * them would overwrite it.
   */
  public static final Set<String> RESERVED_COLUMNS =
      Set.of(
          "event_id",
          "type",
          "user_id",
          "occurred_at",
          "properties",
          "source",
          "produced_at",
          "ingested_at",
          "kafka_partition",
          "kafka_offset");

  /** What is wrong; the name is the dead-letter reason in {@code events.dlq}. */
  public enum Problem {
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
    INVALID_EXTRA_FIELD
  }

  /**
   * One breach of the contract.
   *
   * @param problem what kind (the dead-letter reason)
   * @param field the path of the field: {@code type}, {@code properties.page}, {@code campaign}, or
   *     the empty string for the event as a whole
   * @param message what the rule is, for a person ("must be a string")
   */
  public record Finding(Problem problem, String field, String message) {}

  private EventContract() {}

  /** Whether the name is one of the contract's top-level fields. */
  public static boolean isContractField(String name) {
    return FIELDS.contains(name);
  }

  /**
   * Every finding for one event, in the order of {@link #FIELDS} and then the extra fields.
   *
   * @param fields the event's top-level values by name (null values count as absent)
   * @param eventIdRequired true for a raw record; false for a client's event (the producer assigns
   *     the id)
   * @return the findings, empty when the event keeps the contract
   */
  public static List<Finding> check(Map<String, JsonNode> fields, boolean eventIdRequired) {
    List<Finding> findings = new ArrayList<>();
    add(findings, eventId(fields.get(EVENT_ID), eventIdRequired));
    add(findings, type(fields.get(TYPE)));
    add(findings, userId(fields.get(USER_ID)));
    add(findings, occurredAt(fields.get(OCCURRED_AT)));
    findings.addAll(properties(fields.get(PROPERTIES)));
    add(findings, source(fields.get(SOURCE)));
    add(findings, producedAt(fields.get(PRODUCED_AT)));
    List<Map.Entry<String, JsonNode>> extra = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
      if (!isContractField(field.getKey())) {
        extra.add(field);
      }
    }
    findings.addAll(extraFields(extra));
    return findings;
  }

  private static void add(List<Finding> findings, Finding finding) {
    if (finding != null) {
      findings.add(finding);
    }
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  /** Null when {@code eventId} keeps the contract. */
  public static Finding eventId(JsonNode node, boolean required) {
    if (absent(node)) {
      return required ? new Finding(Problem.MISSING_EVENT_ID, EVENT_ID, "is required") : null;
    }
    if (!node.isTextual()) {
      return new Finding(Problem.INVALID_EVENT_ID, EVENT_ID, "must be a string");
    }
    if (!UUID_PATTERN.matcher(node.textValue()).matches()) {
      return new Finding(
          Problem.INVALID_EVENT_ID,
          EVENT_ID,
          "must be a UUID such as 0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a");
    }
    return null;
  }

  /** Null when {@code type} keeps the contract. */
  public static Finding type(JsonNode node) {
    if (absent(node)) {
      return new Finding(Problem.MISSING_TYPE, TYPE, "is required");
    }
    if (!node.isTextual()) {
      return new Finding(Problem.INVALID_TYPE, TYPE, "must be a string");
    }
    if (!TYPE_PATTERN.matcher(node.textValue()).matches()) {
      return new Finding(
          Problem.INVALID_TYPE,
          TYPE,
          "must be a lower-case identifier ("
              + TYPE_RULE
              + ": a-z, 0-9, _, . and -; starts with a letter; at most 64)");
    }
    return null;
  }

  /** Null when {@code userId} keeps the contract. */
  public static Finding userId(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (!node.isTextual()) {
      return new Finding(Problem.INVALID_USER_ID, USER_ID, "must be a string");
    }
    String value = node.textValue();
    if (value.isBlank() || value.length() > MAX_USER_ID_LENGTH) {
      return new Finding(
          Problem.INVALID_USER_ID,
          USER_ID,
          "must be 1 to " + MAX_USER_ID_LENGTH + " characters, not blank");
    }
    return null;
  }

  /** Null when {@code occurredAt} keeps the contract. */
  public static Finding occurredAt(JsonNode node) {
    if (absent(node)) {
      return new Finding(Problem.MISSING_OCCURRED_AT, OCCURRED_AT, "is required");
    }
    return instant(node, OCCURRED_AT, Problem.INVALID_OCCURRED_AT);
  }

  /** Null when {@code producedAt} keeps the contract. */
  public static Finding producedAt(JsonNode node) {
    return absent(node) ? null : instant(node, PRODUCED_AT, Problem.INVALID_PRODUCED_AT);
  }

  private static Finding instant(JsonNode node, String field, Problem problem) {
    if (!node.isTextual()) {
      return new Finding(problem, field, "must be a string");
    }
    if (Instants.parse(node.textValue()) == null) {
      return new Finding(
          problem,
          field,
          "must be an ISO-8601 instant with offset, e.g. 2026-01-01T12:00:00Z or"
              + " 2026-01-01T13:00:00+01:00");
    }
    return null;
  }

  /** Null when {@code source} keeps the contract. */
  public static Finding source(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (!node.isTextual() || node.textValue().isBlank()) {
      return new Finding(Problem.INVALID_SOURCE, SOURCE, "must be a non-blank string");
    }
    return null;
  }

  /** Findings for {@code properties}: empty when it keeps the contract. */
  public static List<Finding> properties(JsonNode node) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isObject()) {
      return List.of(new Finding(Problem.INVALID_PROPERTIES, PROPERTIES, "must be an object"));
    }
    if (node.size() > MAX_PROPERTIES) {
      return List.of(
          new Finding(
              Problem.INVALID_PROPERTIES,
              PROPERTIES,
              "must have at most " + MAX_PROPERTIES + " keys (has " + node.size() + ")"));
    }
    List<Finding> findings = new ArrayList<>(0);
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String problem = null;
      if (key.isEmpty() || key.length() > MAX_NAME_LENGTH) {
        problem = "key must be 1 to " + MAX_NAME_LENGTH + " characters";
      } else if (value.isContainerNode()) {
        problem = "must be a string, number, boolean or null (no nested objects or arrays)";
      } else if (value.isTextual() && value.textValue().length() > MAX_STRING_LENGTH) {
        problem = "must be at most " + MAX_STRING_LENGTH + " characters";
      } else if (!value.isValueNode()) {
        problem = "must be a string, number, boolean or null";
      }
      if (problem != null) {
        findings.add(
            new Finding(Problem.INVALID_PROPERTIES, PROPERTIES + "." + shown(key), problem));
      }
    }
    return findings;
  }

  /** Findings for the fields outside the contract: empty when they keep its bounds. */
  public static List<Finding> extraFields(List<Map.Entry<String, JsonNode>> extra) {
    if (extra.isEmpty()) {
      return List.of();
    }
    if (extra.size() > MAX_EXTRA_FIELDS) {
      return List.of(
          new Finding(
              Problem.INVALID_EXTRA_FIELD,
              "",
              "at most "
                  + MAX_EXTRA_FIELDS
                  + " fields besides "
                  + String.join(", ", FIELDS)
                  + " (has "
                  + extra.size()
                  + ")"));
    }
    List<Finding> findings = new ArrayList<>(0);
    Map<String, String> columns = new java.util.HashMap<>();
    for (Map.Entry<String, JsonNode> field : extra) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      String problem = null;
      String other = name.isEmpty() ? null : columns.putIfAbsent(columnName(name), name);
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        problem = "name must be 1 to " + MAX_NAME_LENGTH + " characters";
      } else if (other != null) {
        problem = "becomes column " + columnName(name) + ", as field " + shown(other) + " does";
      } else if (RESERVED_COLUMNS.contains(columnName(name))) {
        problem =
            "becomes column "
                + columnName(name)
                + ", which the table already has for the contract; use another name";
      } else if (value != null
          && value.isTextual()
          && value.textValue().length() > MAX_STRING_LENGTH) {
        problem = "must be at most " + MAX_STRING_LENGTH + " characters";
      } else if (value != null
          && value.isContainerNode()
          && value.toString().length() > MAX_STRING_LENGTH) {
        problem = "must be at most " + MAX_STRING_LENGTH + " characters of JSON";
      }
      if (problem != null) {
        findings.add(new Finding(Problem.INVALID_EXTRA_FIELD, shown(name), problem));
      }
    }
    return findings;
  }

  /**
   * The table column an extra field becomes: camelCase split with '_', lower case, every character
   * outside {@code [a-z0-9_]} replaced by '_', a leading digit prefixed with '_' ({@code cartValue}
   * -> {@code cart_value}, {@code Price-EUR} -> {@code price_eur}, {@code 2fa} -> {@code _2fa}).
   */
  public static String columnName(String field) {
    StringBuilder out = new StringBuilder(field.length() + 4);
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (Character.isUpperCase(c)
          && i > 0
          && (Character.isLowerCase(field.charAt(i - 1))
              || Character.isDigit(field.charAt(i - 1)))) {
        out.append('_');
      }
      char lower = Character.toLowerCase(c);
      out.append((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ? lower : '_');
    }
    if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  private static String shown(String name) {
    return name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) + "..." : name;
  }
}
