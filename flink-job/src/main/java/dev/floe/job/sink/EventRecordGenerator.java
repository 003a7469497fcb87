package dev.floe.job.sink;

import dev.floe.job.model.Event;
import dev.floe.job.pipeline.ExtraFields;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.util.Collector;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecord;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecordGenerator;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Event -> row of the table's current schema (all columns, table order) with the table's current
 * partition spec, both reloaded every refresh interval and at once when an event has a column this
 * subtask has not seen yet. Emitting exactly the table's schema means the Dynamic Sink never
 * reorders or retypes columns; emitting the current spec means an out-of-band partition change is
 * followed by new files and never reverted (a stale or unpartitioned spec would either keep the old
 * layout or evolve the table back).
 */
public final class EventRecordGenerator implements DynamicRecordGenerator<Event> {
  private final CatalogLoader catalogLoader;

  /** TableIdentifier is not Serializable: kept as its text, parsed when opened. */
  private final String tableName;

  private transient TableIdentifier tableId;
  private final long refreshMillis;

  private transient Table table;
  private transient Schema schema;
  private transient PartitionSpec spec;
  private transient Map<String, Integer> positions;
  private transient Type[] types;

  /**
   * Position of each contract column in the current schema ({@link #CONTRACT_COLUMNS} order), -1
   * when the table lacks it: resolved once per schema, not per row.
   */
  private transient int[] contractPositions;

  private transient long loadedAt;

  /** The columns every event fills, in the order of {@link #contractPositions}. */
  private static final String[] CONTRACT_COLUMNS = {
    "event_id",
    "type",
    "user_id",
    "occurred_at",
    "properties",
    "source",
    "produced_at",
    "ingested_at",
    "kafka_partition",
    "kafka_offset"
  };

  public EventRecordGenerator(
      CatalogLoader catalogLoader, TableIdentifier tableId, Duration refresh) {
    this.catalogLoader = catalogLoader;
    this.tableName = tableId.toString();
    this.refreshMillis = refresh.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    tableId = TableIdentifier.parse(tableName);
    table = catalogLoader.loadCatalog().loadTable(tableId);
    adopt(System.currentTimeMillis());
  }

  @Override
  public void generate(Event e, Collector<DynamicRecord> out) {
    long now = System.currentTimeMillis();
    if (now - loadedAt > refreshMillis || hasUnknownColumn(e)) {
      table.refresh();
      adopt(now);
    }
    GenericRowData row = new GenericRowData(types.length);
    int[] at = contractPositions;
    set(row, at[0], EventRows.string(e.eventId));
    set(row, at[1], EventRows.string(e.type));
    set(row, at[2], EventRows.string(e.userId));
    set(row, at[3], EventRows.timestamp(e.occurredAt));
    set(row, at[4], EventRows.map(e.properties));
    set(row, at[5], EventRows.string(e.source));
    set(row, at[6], EventRows.timestamp(e.producedAt));
    set(row, at[7], EventRows.timestamp(e.ingestedAt));
    set(row, at[8], e.kafkaPartition);
    set(row, at[9], e.kafkaOffset);
    if (e.extra != null) {
      for (Map.Entry<String, String> field : e.extra.entrySet()) {
        Integer pos = positions.get(ExtraFields.columnName(field.getKey()));
        if (pos != null) {
          row.setField(pos, value(field.getValue(), types[pos]));
        }
      }
    }
    out.collect(new DynamicRecord(tableId, SnapshotRef.MAIN_BRANCH, schema, row, spec));
  }

  private boolean hasUnknownColumn(Event e) {
    if (e.extra == null) {
      return false;
    }
    for (String name : e.extra.keySet()) {
      if (!positions.containsKey(ExtraFields.columnName(name))) {
        return true;
      }
    }
    return false;
  }

  /** Keeps the same Schema/PartitionSpec instances while unchanged: the sink caches by instance. */
  private void adopt(long now) {
    if (schema == null || table.schema().schemaId() != schema.schemaId()) {
      schema = table.schema();
      List<Types.NestedField> columns = schema.columns();
      positions = new HashMap<>();
      types = new Type[columns.size()];
      for (int i = 0; i < columns.size(); i++) {
        positions.put(columns.get(i).name(), i);
        types[i] = columns.get(i).type();
      }
      contractPositions = new int[CONTRACT_COLUMNS.length];
      for (int i = 0; i < CONTRACT_COLUMNS.length; i++) {
        contractPositions[i] = positions.getOrDefault(CONTRACT_COLUMNS[i], -1);
      }
    }
    if (spec == null || table.spec().specId() != spec.specId()) {
      spec = table.spec();
    }
    loadedAt = now;
  }

  private static void set(GenericRowData row, int pos, Object value) {
    if (pos >= 0) {
      row.setField(pos, value);
    }
  }

  /** The resolver has checked that the value fits the column. */
  private static Object value(String tagged, Type type) {
    String text = tagged.substring(2);
    return switch (type.typeId()) {
      case STRING -> EventRows.string(text);
      case LONG -> Long.parseLong(text);
      case DOUBLE -> Double.parseDouble(text);
      case BOOLEAN -> Boolean.parseBoolean(text);
      default -> null;
    };
  }
}
