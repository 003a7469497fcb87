package dev.floe.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.query.trino.TrinoGateway;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV: a header line of column names, CRLF line ends, fields quoted when they hold a
 * comma, quote or line break. NULL is an empty field; arrays, maps and rows are written as JSON
 * text.
 */
final class Csv {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Csv() {}

  static String write(List<TrinoGateway.Column> columns, List<List<Object>> rows) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      field(out, columns.get(i).name());
    }
    out.append("\r\n");
    for (List<Object> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        Object value = row.get(i);
        if (value != null) {
          field(out, text(value));
        }
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  private static String text(Object value) {
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a nested value as JSON", e);
      }
    }
    return value.toString();
  }

  private static void field(StringBuilder out, String value) {
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    if (!quote) {
      out.append(value);
      return;
    }
    out.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
