package dev.floe.job.pipeline;

import dev.floe.contract.DeadLetter;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.contract.JobMetrics;
import dev.floe.job.model.Event;
import dev.floe.job.sink.JsonCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Fits each event's extra fields to the table's schema, before both clean sinks: a field the table
 * lacks becomes a new optional column (added here, through the catalog, so that the lake sink only
 * ever sees the table's own schema); a value whose type does not fit its column, or a field mapping
 * to a contract column, sends the event to the dead letters with {@link Reason#SCHEMA_CONFLICT}.
 * The event then reaches neither events.clean nor the table, so the two stay the same rows. Done
 * here rather than left to the Dynamic Sink, which throws on a type conflict (a restart loop).
 */
public final class EvolveTableSchema extends ProcessFunction<Event, Event> {
  private static final int COMMIT_ATTEMPTS = 10;

  private final CatalogLoader catalogLoader;

  /** TableIdentifier is not Serializable: kept as its text, parsed when opened. */
  private final String tableName;

  private transient TableIdentifier tableId;
  private final String rawTopic;
  private final long refreshMillis;

  private transient Catalog catalog;
  private transient Table table;
  private transient Schema schema;
  private transient long loadedAt;
  private transient Counter conflicts;
  private transient Counter columnsAdded;

  public EvolveTableSchema(
      CatalogLoader catalogLoader, TableIdentifier tableId, String rawTopic, Duration refresh) {
    this.catalogLoader = catalogLoader;
    this.tableName = tableId.toString();
    this.rawTopic = rawTopic;
    this.refreshMillis = refresh.toMillis();
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    tableId = TableIdentifier.parse(tableName);
    catalog = catalogLoader.loadCatalog();
    table = catalog.loadTable(tableId);
    schema = table.schema();
    loadedAt = System.currentTimeMillis();
    var group = getRuntimeContext().getMetricGroup().addGroup(JobMetrics.GROUP);
    conflicts = group.counter(JobMetrics.SCHEMA_CONFLICTS_COUNTER);
    columnsAdded = group.counter(JobMetrics.COLUMNS_ADDED_COUNTER);
  }

  @Override
  public void close() throws Exception {
    if (catalog instanceof java.io.Closeable closeable) {
      closeable.close();
    }
  }

  @Override
  public void processElement(Event event, Context ctx, Collector<Event> out) {
    if (event.extra == null) {
      out.collect(event);
      return;
    }
    long now = System.currentTimeMillis();
    if (now - loadedAt > refreshMillis) {
      refresh(now);
    }
    Map<String, Type> missing = new LinkedHashMap<>();
    String conflict = check(event, schema, missing);
    if (conflict == null && !missing.isEmpty()) {
      refresh(now);
      missing.clear();
      conflict = check(event, schema, missing);
      if (conflict == null && !missing.isEmpty()) {
        addColumns(event);
        conflict = check(event, schema, missing);
      }
    }
    if (conflict != null) {
      conflicts.inc();
      ctx.output(DeadLetters.DEAD_LETTERS, deadLetter(event, conflict, now));
      return;
    }
    out.collect(event);
  }

  /** The conflict, or null; fills {@code missing} with the columns the table lacks. */
  static String check(Event event, Schema schema, Map<String, Type> missing) {
    Map<String, String> seen = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : event.extra.entrySet()) {
      String name = field.getKey();
      String tagged = field.getValue();
      String column = ExtraFields.columnName(name);
      if (ExtraFields.RESERVED_COLUMNS.contains(column)) {
        return "field '" + name + "' maps to the contract column '" + column + "'";
      }
      String other = seen.put(column, name);
      if (other != null) {
        return "fields '" + other + "' and '" + name + "' both map to column '" + column + "'";
      }
      Types.NestedField existing = schema.findField(column);
      if (existing == null) {
        missing.put(column, ExtraFields.columnType(tagged));
      } else if (!ExtraFields.fits(tagged, existing.type())) {
        return "field '"
            + name
            + "' is a JSON "
            + ExtraFields.jsonType(tagged)
            + " but column '"
            + column
            + "' is "
            + existing.type();
      }
    }
    return null;
  }

  /** Adds the event's missing columns; tolerates (and re-checks) a concurrent schema change. */
  private void addColumns(Event event) {
    for (int attempt = 1; ; attempt++) {
      Map<String, Type> missing = new LinkedHashMap<>();
      if (check(event, schema, missing) != null || missing.isEmpty()) {
        return;
      }
      UpdateSchema update = table.updateSchema();
      missing.forEach(update::addColumn);
      try {
        update.commit();
        columnsAdded.inc(missing.size());
        refresh(System.currentTimeMillis());
        return;
      } catch (CommitFailedException e) {
        if (attempt >= COMMIT_ATTEMPTS) {
          throw e;
        }
        refresh(System.currentTimeMillis());
      }
    }
  }

  private void refresh(long now) {
    table.refresh();
    if (table.schema().schemaId() != schema.schemaId()) {
      schema = table.schema();
    }
    loadedAt = now;
  }

  private DeadLetter deadLetter(Event event, String detail, long now) {
    DeadLetter letter = new DeadLetter();
    letter.reason = Reason.SCHEMA_CONFLICT.name();
    letter.detail = detail;
    // the parsed event re-serialised: the original bytes are not kept past the parser
    letter.payload = JsonCodec.original(event);
    letter.payloadEncoding = DeadLetter.UTF_8;
    letter.topic = rawTopic;
    letter.partition = event.kafkaPartition;
    letter.offset = event.kafkaOffset;
    letter.timestamp = event.ingestedAt == null ? now : event.ingestedAt.toEpochMilli();
    letter.deadLetteredAt = now;
    return letter;
  }
}
