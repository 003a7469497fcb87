package dev.floe.job.sink;

import dev.floe.contract.DeadLetter;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.contract.JobMetrics;
import dev.floe.job.model.Event;
import dev.floe.job.pipeline.DeadLetters;
import dev.floe.job.pipeline.ExtraFields;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
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
 * Decides, before both clean sinks, whether an event's extra fields fit the table: a field the
 * table lacks becomes a new optional column (added here, through the catalog, so that the lake sink
 * only ever sees the table's own schema); a value whose type does not fit its column, or a field
 * mapping to a contract column, sends the event to the dead letters with {@link
 * Reason#SCHEMA_CONFLICT}. The event then reaches neither events.clean nor the table, so the two
 * stay the same rows. Done here rather than left to the Dynamic Sink, which throws on a type
 * conflict (a restart loop).
 *
 * <p>Being the last step every table-bound event passes, it also measures freshness ({@link
 * FreshnessTracker}: producedAt to the completion of the checkpoint that commits the event), as the
 * gauges {@code floe.freshnessP50Ms}, {@code floe.freshnessP99Ms} (over the last minute; -1 when
 * nothing was committed in it) and {@code floe.freshnessEvents}. It registers no state, so
 * checkpoints are the same as without it.
 */
public final class SchemaResolver extends ProcessFunction<Event, Event>
    implements CheckpointedFunction, CheckpointListener {
  private static final int COMMIT_ATTEMPTS = 10;

  /** The window of the freshness gauges. */
  static final int FRESHNESS_WINDOW_SECONDS = 60;

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
  private transient FreshnessTracker freshness;

  public SchemaResolver(
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
    FreshnessTracker tracker = new FreshnessTracker(FRESHNESS_WINDOW_SECONDS);
    freshness = tracker;
    group.gauge(
        JobMetrics.FRESHNESS_P50_GAUGE,
        (Gauge<Long>) () -> tracker.percentile(0.5, System.currentTimeMillis()));
    group.gauge(
        JobMetrics.FRESHNESS_P99_GAUGE,
        (Gauge<Long>) () -> tracker.percentile(0.99, System.currentTimeMillis()));
    group.gauge(
        JobMetrics.FRESHNESS_EVENTS_GAUGE,
        (Gauge<Long>) () -> tracker.count(System.currentTimeMillis()));
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    // no state: the hook is only for the barrier (snapshotState) that ends an epoch
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    if (freshness != null) {
      freshness.seal(context.getCheckpointId());
    }
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    if (freshness != null) {
      freshness.committed(checkpointId, System.currentTimeMillis());
    }
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
      collect(event, out);
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
    collect(event, out);
  }

  private void collect(Event event, Collector<Event> out) {
    if (event.producedAt != null && freshness != null) {
      freshness.record(event.producedAt.toEpochMilli());
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
