package dev.floe.producer.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Jackson without the lenient conversions: {@code "type": 42} is an error naming {@code type}, not
 * the string "42"; unknown and duplicate fields are errors too, so a typo never passes silently.
 */
public final class StrictJson {
  private static final ObjectMapper MAPPER = create();

  private StrictJson() {}

  static ObjectMapper create() {
    ObjectMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  /** A checked JSON object as a map of plain values (strings, numbers, booleans, null). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode object) {
    return MAPPER.convertValue(object, java.util.LinkedHashMap.class);
  }

  /** The body as a JSON tree, or a 400 {@code malformed_json} naming line and column. */
  public static JsonNode readTree(byte[] body) {
    if (body == null || body.length == 0) {
      throw new RejectedInputException(
          400, "malformed_json", "the request body is empty; expected JSON", List.of(), 1);
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new RejectedInputException(
          400,
          "malformed_json",
          "the body is not valid JSON" + where + ": " + e.getOriginalMessage(),
          List.of(),
          1);
    } catch (IOException e) {
      throw new RejectedInputException(400, "malformed_json", e.getMessage(), List.of(), 1);
    }
  }

  /**
   * Binds a JSON node to {@code type}; a wrong type or unknown field becomes one violation whose
   * field path starts with {@code prefix} (e.g. {@code events[3].}).
   */
  public static <T> Bound<T> bind(JsonNode node, Class<T> type, String prefix) {
    try {
      return new Bound<>(MAPPER.treeToValue(node, type), null);
    } catch (UnrecognizedPropertyException e) {
      return new Bound<>(
          null,
          new Violation(
              path(prefix, e),
              "unknown field; allowed: " + String.join(", ", known(e.getKnownPropertyIds()))));
    } catch (MismatchedInputException e) {
      return new Bound<>(null, new Violation(path(prefix, e), expected(e.getTargetType())));
    } catch (JsonMappingException e) {
      return new Bound<>(null, new Violation(path(prefix, e), e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      return new Bound<>(
          null, new Violation(prefix.isEmpty() ? "body" : prefix, e.getOriginalMessage()));
    }
  }

  private static List<String> known(java.util.Collection<Object> ids) {
    return ids == null ? List.of() : ids.stream().map(String::valueOf).sorted().toList();
  }

  private static String expected(Class<?> target) {
    if (target == null) {
      return "has the wrong type";
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (Map.class.isAssignableFrom(target)) {
      return "must be an object";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be a boolean";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "must be a number";
    }
    return "must be an object";
  }

  private static String path(String prefix, JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    if (path.isEmpty()) {
      return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : "body";
    }
    return prefix + path;
  }

  /** A bound value or the violation that prevented binding. */
  public record Bound<T>(T value, Violation violation) {}
}
