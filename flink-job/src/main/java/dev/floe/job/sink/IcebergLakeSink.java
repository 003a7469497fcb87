package dev.floe.job.sink;

import dev.floe.job.model.Event;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.sink.dynamic.DynamicIcebergSink;

/**
 * Iceberg's Dynamic Sink: writers chained to the generator at the job's parallelism (forward, no
 * shuffle), one snapshot committed per checkpoint. Unlike the plain IcebergSink, which fixes schema
 * and spec when the job starts, it writes each record with the schema and spec the record carries,
 * so new columns ({@link dev.floe.job.pipeline.EvolveTableSchema}) and a new partition spec take
 * effect while the job runs.
 */
public final class IcebergLakeSink implements LakeSink {
  private final String catalogName;
  private final Map<String, String> catalogProperties;
  private final Map<String, String> hadoopProperties;
  private final TableIdentifier table;
  private final Duration tableRefresh;

  public IcebergLakeSink(
      String catalogName,
      Map<String, String> catalogProperties,
      Map<String, String> hadoopProperties,
      TableIdentifier table,
      Duration tableRefresh) {
    this.catalogName = catalogName;
    this.catalogProperties = Map.copyOf(catalogProperties);
    this.hadoopProperties = Map.copyOf(hadoopProperties);
    this.table = table;
    this.tableRefresh = tableRefresh;
  }

  public CatalogLoader catalogLoader() {
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    hadoopProperties.forEach(hadoop::set);
    return CatalogLoader.custom(
        catalogName, catalogProperties, hadoop, catalogProperties.get("catalog-impl"));
  }

  @Override
  public void attach(DataStream<Event> events, int parallelism) {
    DynamicIcebergSink.forInput(events)
        .generator(new EventRecordGenerator(catalogLoader(), table, tableRefresh))
        .catalogLoader(catalogLoader())
        .writeParallelism(parallelism)
        .uidPrefix("lake-events")
        .cacheRefreshMs(tableRefresh.toMillis())
        .append()
        .name("iceberg-lake-events")
        .uid("iceberg-lake-events");
  }
}
