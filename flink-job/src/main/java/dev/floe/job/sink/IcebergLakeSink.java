package dev.floe.job.sink;

import dev.floe.job.model.Event;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * The v2 {@link IcebergSink}: writers at the job's parallelism, one committer that commits a
 * snapshot per checkpoint (its metrics: elapsedSecondsSinceLastSuccessfulCommit,
 * lastCommitDurationMs, committedDataFilesCount, ... under the committer operator).
 */
public final class IcebergLakeSink implements LakeSink {
  private final String catalogName;
  private final Map<String, String> catalogProperties;
  private final Map<String, String> hadoopProperties;
  private final TableIdentifier table;

  public IcebergLakeSink(
      String catalogName,
      Map<String, String> catalogProperties,
      Map<String, String> hadoopProperties,
      TableIdentifier table) {
    this.catalogName = catalogName;
    this.catalogProperties = Map.copyOf(catalogProperties);
    this.hadoopProperties = Map.copyOf(hadoopProperties);
    this.table = table;
  }

  public CatalogLoader catalogLoader() {
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    hadoopProperties.forEach(hadoop::set);
    return CatalogLoader.custom(
        catalogName, catalogProperties, hadoop, catalogProperties.get("catalog-impl"));
  }

  @Override
  public void attach(DataStream<Event> events, int parallelism) {
    RowType rowType = FlinkSchemaUtil.convert(LakeTable.SCHEMA);
    DataStream<RowData> rows =
        events
            .map(EventRows::toRow)
            .returns(InternalTypeInfo.of(rowType))
            .name("to-iceberg-row")
            .uid("to-iceberg-row");
    IcebergSink.forRowData(rows)
        .tableLoader(TableLoader.fromCatalog(catalogLoader(), table))
        .writeParallelism(parallelism)
        .distributionMode(DistributionMode.NONE)
        .uidSuffix("lake-events")
        .append()
        .name("iceberg-lake-events")
        .uid("iceberg-lake-events");
  }
}
