package dev.floe.contract;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The columns of lake.events as the job creates the table, defined once: the job creates the table
 * from it, and every test that needs the production shape of the table (the query-service's, the
 * catalog-service's) creates its table from the same definition. Columns added later by schema
 * evolution (the job's extra fields) come on top of these.
 *
 * <p>Properties are a {@code map<string,string>} (Trino: {@code properties['plan']}); the contract
 * allows only flat objects, so no information is lost but the JSON type of a value (a number is
 * stored as its text).
 */
public final class LakeSchema {

  private LakeSchema() {}

  /** The table's schema at creation. */
  public static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "event_id", Types.StringType.get()),
          Types.NestedField.required(2, "type", Types.StringType.get()),
          Types.NestedField.optional(3, "user_id", Types.StringType.get()),
          Types.NestedField.required(4, "occurred_at", Types.TimestampType.withZone()),
          Types.NestedField.optional(
              5,
              "properties",
              Types.MapType.ofOptional(11, 12, Types.StringType.get(), Types.StringType.get())),
          Types.NestedField.optional(6, "source", Types.StringType.get()),
          Types.NestedField.optional(7, "produced_at", Types.TimestampType.withZone()),
          Types.NestedField.required(8, "ingested_at", Types.TimestampType.withZone()),
          Types.NestedField.required(9, "kafka_partition", Types.IntegerType.get()),
          Types.NestedField.required(10, "kafka_offset", Types.LongType.get()));

  /** Hidden partitioning on the day of the event. */
  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("occurred_at").build();
}
