package dev.floe.query.trino;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one cell of a Trino result into the value the JSON answer carries: numbers as numbers,
 * booleans as booleans, timestamps as ISO-8601 text ({@code 2024-05-01T12:00:00.123456Z} for {@code
 * timestamp with time zone}, {@code 2024-05-01T12:00:00.123456} without), varbinary as base64,
 * arrays as lists and maps and rows as objects, everything else as text.
 *
 * <p>Timestamps are read from Trino's own text form rather than through {@code java.sql.Timestamp},
 * which would shift them into the service's JVM time zone and drop precision.
 */
public final class JsonValues {

  private JsonValues() {}

  public static Object read(ResultSet rs, int column, int sqlType) throws SQLException {
    switch (sqlType) {
      case Types.BOOLEAN:
        {
          boolean v = rs.getBoolean(column);
          return rs.wasNull() ? null : v;
        }
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        {
          long v = rs.getLong(column);
          return rs.wasNull() ? null : v;
        }
      case Types.REAL:
      case Types.DOUBLE:
        {
          double v = rs.getDouble(column);
          if (rs.wasNull()) {
            return null;
          }
          // JSON has no NaN or Infinity.
          return Double.isFinite(v) ? v : Double.toString(v);
        }
      case Types.DECIMAL:
        return rs.getBigDecimal(column);
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return instantText(rs.getString(column));
      case Types.TIMESTAMP:
        return localTimestampText(rs.getString(column));
      case Types.VARBINARY:
      case Types.BINARY:
      case Types.LONGVARBINARY:
        {
          byte[] bytes = rs.getBytes(column);
          return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
        }
      case Types.ARRAY:
        {
          Array array = rs.getArray(column);
          return array == null ? null : nested(array.getArray());
        }
      case Types.JAVA_OBJECT:
      case Types.OTHER:
      case Types.STRUCT:
        return nested(rs.getObject(column));
      default:
        return rs.getString(column);
    }
  }

  /** Trino's {@code 2024-05-01 12:00:00.123456 UTC} as {@code 2024-05-01T12:00:00.123456Z}. */
  static String instantText(String trinoText) {
    if (trinoText == null) {
      return null;
    }
    int space = trinoText.lastIndexOf(' ');
    LocalDateTime local = LocalDateTime.parse(trinoText.substring(0, space).replace(' ', 'T'));
    ZoneId zone = ZoneId.of(trinoText.substring(space + 1));
    return ZonedDateTime.of(local, zone).toInstant().toString();
  }

  static String localTimestampText(String trinoText) {
    return trinoText == null ? null : trinoText.replace(' ', 'T');
  }

  private static Object nested(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Object[] array) {
      return nested(Arrays.asList(array));
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object element : list) {
        out.add(nested(element));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), nested(v)));
      return out;
    }
    if (value instanceof io.trino.jdbc.Row row) {
      Map<String, Object> out = new LinkedHashMap<>();
      int index = 0;
      for (io.trino.jdbc.RowField field : row.getFields()) {
        index++;
        out.put(field.getName().orElse("field" + index), nested(field.getValue()));
      }
      return out;
    }
    return value.toString();
  }
}
