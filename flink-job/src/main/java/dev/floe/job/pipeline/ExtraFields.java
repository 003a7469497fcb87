package dev.floe.job.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.floe.contract.EventContract;
import java.math.BigDecimal;
import java.util.Set;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Top-level event fields outside the contract, kept so that they can become table columns. A value
 * travels as its JSON type tag plus text ({@code s:text}, {@code l:42}, {@code d:1.5}, {@code
 * b:true}) in a {@code Map<String, String>}: Flink serializes that without Kryo and the type of the
 * JSON value survives.
 *
 * <p>Column names: camelCase is split with '_', the name is lower-cased, every character outside
 * {@code [a-z0-9_]} becomes '_', and a leading digit gets a '_' prefix ({@code cartValue} -> {@code
 * cart_value}, {@code Price-EUR} -> {@code price_eur}, {@code 2fa} -> {@code _2fa}).
 */
public final class ExtraFields {
  /** The contract's columns: an extra field mapping to one of them is a conflict. */
  public static final Set<String> RESERVED_COLUMNS = EventContract.RESERVED_COLUMNS;

  private ExtraFields() {}

  /** The tagged value of a scalar JSON node; null for null and for objects/arrays. */
  public static String encode(JsonNode value) {
    if (value.isTextual()) {
      return "s:" + value.textValue();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return "l:" + value.longValue();
    }
    if (value.isNumber()) {
      return "d:" + value.asText();
    }
    if (value.isBoolean()) {
      return "b:" + value.booleanValue();
    }
    return null;
  }

  /** The JSON node of a tagged value, for events.clean. */
  public static JsonNode toJson(String tagged) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String text = tagged.substring(2);
    return switch (tagged.charAt(0)) {
      case 's' -> f.textNode(text);
      case 'l' -> f.numberNode(Long.parseLong(text));
      case 'd' -> f.numberNode(new BigDecimal(text));
      case 'b' -> f.booleanNode(Boolean.parseBoolean(text));
      default -> throw new IllegalArgumentException("bad tag: " + tagged);
    };
  }

  /** The column type a new value creates: string, bigint, double or boolean. */
  public static Type columnType(String tagged) {
    return switch (tagged.charAt(0)) {
      case 's' -> Types.StringType.get();
      case 'l' -> Types.LongType.get();
      case 'd' -> Types.DoubleType.get();
      case 'b' -> Types.BooleanType.get();
      default -> throw new IllegalArgumentException("bad tag: " + tagged);
    };
  }

  /** Whether a value can be stored in a column of this type (a JSON integer fits a double). */
  public static boolean fits(String tagged, Type column) {
    return switch (column.typeId()) {
      case STRING -> tagged.charAt(0) == 's';
      case LONG -> tagged.charAt(0) == 'l';
      case DOUBLE -> tagged.charAt(0) == 'l' || tagged.charAt(0) == 'd';
      case BOOLEAN -> tagged.charAt(0) == 'b';
      default -> false;
    };
  }

  /** The JSON type name of a tagged value, for dead-letter details. */
  public static String jsonType(String tagged) {
    return switch (tagged.charAt(0)) {
      case 's' -> "string";
      case 'l' -> "integer";
      case 'd' -> "number";
      default -> "boolean";
    };
  }

  /** The column of an extra field ({@link EventContract#columnName}). */
  public static String columnName(String field) {
    return EventContract.columnName(field);
  }
}
