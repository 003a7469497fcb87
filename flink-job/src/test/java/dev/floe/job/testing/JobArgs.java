package dev.floe.job.testing;

import dev.floe.infra.EmbeddedStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The program arguments that point the job at an embedded stack with its own topics, consumer
 * group, transactional ids, table and checkpoints: shared by the integration tests and the
 * benchmarks.
 */
public final class JobArgs {
  private JobArgs() {}

  /** The environment of a job with every required setting (fixed, unreachable values). */
  public static final Map<String, String> REQUIRED_ENV =
      Map.of(
          "FLOE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
          "FLOE_CATALOG_URI", "jdbc:postgresql://db:5432/floe",
          "FLOE_CATALOG_WAREHOUSE", "file:///tmp/warehouse",
          "FLOE_CHECKPOINT_DIR", "file:///tmp/checkpoints");

  /**
   * @param name suffix of the consumer group and transactional ids (unique per pipeline)
   * @param table table name inside the {@code lake} namespace
   */
  public static List<String> forStack(
      EmbeddedStack stack,
      String name,
      String raw,
      String clean,
      String dlq,
      String table,
      Path checkpoints,
      String checkpointInterval) {
    return List.of(
        "--floe.kafka.bootstrap-servers",
        stack.kafkaBootstrapServers(),
        "--floe.kafka.topic.raw",
        raw,
        "--floe.kafka.topic.clean",
        clean,
        "--floe.kafka.topic.dlq",
        dlq,
        "--floe.kafka.group-id",
        "group-" + name,
        "--floe.kafka.transactional-id-prefix",
        "tx-" + name,
        "--floe.catalog.name",
        stack.catalogName(),
        "--floe.catalog.uri",
        stack.catalogJdbcUrl(),
        "--floe.catalog.user",
        stack.catalogUser(),
        "--floe.catalog.password",
        stack.catalogPassword(),
        "--floe.catalog.warehouse",
        stack.warehouse(),
        "--floe.iceberg.table",
        "lake." + table,
        "--floe.checkpoint.dir",
        checkpoints.toUri().toString(),
        "--floe.checkpoint.interval",
        checkpointInterval,
        "--floe.parallelism",
        "2");
  }
}
