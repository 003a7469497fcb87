package dev.floe.job.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Conversions of event values to Flink's row data, for {@link EventRecordGenerator}. */
public final class EventRows {
  private EventRows() {}

  /**
   * The string as UTF-8 bytes up front: the Parquet writer reads a string column's bytes, and a
   * {@code StringData.fromString} would encode them char by char (through a thread-local buffer)
   * when first read, where {@code String.getBytes} copies an ASCII string's bytes as they are.
   */
  static StringData string(String s) {
    return s == null ? null : StringData.fromBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  static TimestampData timestamp(Instant i) {
    return i == null ? null : TimestampData.fromInstant(i);
  }

  /**
   * The properties as two parallel arrays: the Parquet writer reads a map through its key and value
   * arrays, so a hash map (and the arrays a {@code GenericMapData} copies out of it for every row)
   * would be built only to be walked once. The keys are unique: they come from a map.
   */
  static MapData map(Map<String, String> props) {
    if (props == null) {
      return null;
    }
    Object[] keys = new Object[props.size()];
    Object[] values = new Object[props.size()];
    int i = 0;
    for (Map.Entry<String, String> p : props.entrySet()) {
      keys[i] = string(p.getKey());
      values[i] = string(p.getValue());
      i++;
    }
    return new ArrayMapData(new GenericArrayData(keys), new GenericArrayData(values));
  }

  /** A map of unique keys as parallel key and value arrays. */
  record ArrayMapData(ArrayData keyArray, ArrayData valueArray) implements MapData {
    @Override
    public int size() {
      return keyArray.size();
    }
  }
}
