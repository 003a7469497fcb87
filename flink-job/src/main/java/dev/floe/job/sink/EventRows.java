package dev.floe.job.sink;

import dev.floe.job.model.Event;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Event -> Iceberg row in the column order of {@link LakeTable#SCHEMA}. */
public final class EventRows {
  private EventRows() {}

  public static RowData toRow(Event e) {
    GenericRowData row = new GenericRowData(10);
    row.setField(0, StringData.fromString(e.eventId));
    row.setField(1, StringData.fromString(e.type));
    row.setField(2, string(e.userId));
    row.setField(3, timestamp(e.occurredAt));
    row.setField(4, map(e.properties));
    row.setField(5, string(e.source));
    row.setField(6, timestamp(e.producedAt));
    row.setField(7, timestamp(e.ingestedAt));
    row.setField(8, e.kafkaPartition);
    row.setField(9, e.kafkaOffset);
    return row;
  }

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
