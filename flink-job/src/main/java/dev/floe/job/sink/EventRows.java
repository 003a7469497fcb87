package dev.floe.job.sink;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Conversions of event values to Flink's row data, for {@link EventRecordGenerator}. */
public final class EventRows {
  private EventRows() {}

  static StringData string(String s) {
    return s == null ? null : StringData.fromString(s);
  }

  static TimestampData timestamp(Instant i) {
    return i == null ? null : TimestampData.fromInstant(i);
  }

  static GenericMapData map(Map<String, String> props) {
    if (props == null) {
      return null;
    }
    Map<StringData, StringData> data = new HashMap<>(props.size() * 2);
    props.forEach((k, v) -> data.put(StringData.fromString(k), string(v)));
    return new GenericMapData(data);
  }
}
