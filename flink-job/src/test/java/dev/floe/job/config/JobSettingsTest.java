package dev.floe.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.job.testing.JobArgs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

  private static final Map<String, String> REQUIRED_ENV = JobArgs.REQUIRED_ENV;

  private static JobSettings load(Map<String, String> env, Configuration flink, String... args) {
    return JobSettings.load(args, env, flink);
  }

  @Test
  void defaults() {
    JobSettings s = load(REQUIRED_ENV, new Configuration());
    assertThat(s.rawTopic()).isEqualTo("events.raw");
    assertThat(s.cleanTopic()).isEqualTo("events.clean");
    assertThat(s.dlqTopic()).isEqualTo("events.dlq");
    assertThat(s.groupId()).isEqualTo("floe-flink-job");
    assertThat(s.transactionalIdPrefix()).isEqualTo("floe-flink-job");
    assertThat(s.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.catalogName()).isEqualTo("floe");
    assertThat(s.namespace()).isEqualTo("lake");
    assertThat(s.tableName()).isEqualTo("events");
    assertThat(s.targetFileSize()).isEqualTo(MemorySize.ofMebiBytes(128));
    assertThat(s.dedupTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.autoResume()).isTrue();
    assertThat(s.parallelism()).isEmpty();
    assertThat(s.catalogProperties())
        .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .containsEntry("uri", "jdbc:postgresql://db:5432/floe")
        .containsEntry("jdbc.user", "floe")
        .containsEntry("jdbc.schema-version", "V1")
        .containsEntry("warehouse", "file:///tmp/warehouse");
  }

  @Test
  void maintenanceIsOnByDefaultAndConfigurableFromTheEnvironment() {
    JobSettings.MaintenanceSettings m = load(REQUIRED_ENV, new Configuration()).maintenance();
    assertThat(m.enabled()).isTrue();
    assertThat(m.rateLimit()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.rewriteCommitCount()).isEqualTo(30);
    assertThat(m.rewriteMinInputFiles()).isEqualTo(5);
    assertThat(m.snapshotRetention()).isEqualTo(Duration.ofMinutes(10));
    assertThat(m.snapshotMinCount()).isEqualTo(10);
    assertThat(m.orphanMinAge()).isEqualTo(Duration.ofDays(1));

    Map<String, String> env = new HashMap<>(REQUIRED_ENV);
    env.put("FLOE_MAINTENANCE_ENABLED", "false");
    env.put("FLOE_MAINTENANCE_SNAPSHOT_RETENTION", "15 min");
    m = load(env, new Configuration()).maintenance();
    assertThat(m.enabled()).isFalse();
    assertThat(m.snapshotRetention()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aSubSecondMaintenanceRateLimitIsRejected() {
    assertThatThrownBy(
            () -> load(REQUIRED_ENV, new Configuration(), "--floe.maintenance.rate-limit", "500ms"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("floe.maintenance.rate-limit")
        .hasMessageContaining("at least 1 s");
    assertThatThrownBy(
            () ->
                load(
                    REQUIRED_ENV,
                    new Configuration(),
                    "--floe.maintenance.rewrite.min-input-files",
                    "1"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void argumentsBeatEnvironmentBeatsFlinkConfigurationBeatsDefault() {
    Configuration flink = new Configuration();
    flink.setString("floe.kafka.group-id", "from-flink");
    flink.setString("floe.kafka.topic.raw", "raw-from-flink");
    flink.setString("floe.kafka.topic.clean", "clean-from-flink");
    Map<String, String> env = new HashMap<>(REQUIRED_ENV);
    env.put("FLOE_KAFKA_GROUP_ID", "from-env");
    env.put("FLOE_KAFKA_TOPIC_RAW", "raw-from-env");

    JobSettings s = load(env, flink, "--floe.kafka.group-id", "from-args");

    assertThat(s.groupId()).isEqualTo("from-args");
    assertThat(s.rawTopic()).isEqualTo("raw-from-env");
    assertThat(s.cleanTopic()).isEqualTo("clean-from-flink");
    assertThat(s.dlqTopic()).isEqualTo("events.dlq");
  }

  @Test
  void typedValuesAndFlinkArgumentsPassThrough() {
    JobSettings s =
        load(
            REQUIRED_ENV,
            new Configuration(),
            "--floe.checkpoint.interval=500ms",
            "--floe.dedup.ttl",
            "24 h",
            "--floe.parallelism",
            "4",
            "--floe.iceberg.table",
            "lake.events_it",
            "--execution.state-recovery.path",
            "file:///sp/1");
    assertThat(s.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.dedupTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(s.parallelism()).hasValue(4);
    assertThat(s.tableName()).isEqualTo("events_it");
    assertThat(s.flinkConfiguration().toMap())
        .containsEntry("execution.state-recovery.path", "file:///sp/1");
  }

  @Test
  void environmentVariableNames() {
    assertThat(JobOptions.environmentVariable("floe.kafka.bootstrap-servers"))
        .isEqualTo("FLOE_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(JobOptions.environmentVariable("floe.kafka.topic.raw"))
        .isEqualTo("FLOE_KAFKA_TOPIC_RAW");
  }

  @Test
  void missingRequiredSettingIsNamed() {
    Map<String, String> env = new HashMap<>(REQUIRED_ENV);
    env.remove("FLOE_KAFKA_BOOTSTRAP_SERVERS");
    assertThatThrownBy(() -> load(env, new Configuration()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Missing required setting floe.kafka.bootstrap-servers: give"
                + " --floe.kafka.bootstrap-servers <value> or the environment variable"
                + " FLOE_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void badValueIsNamedWithItsSource() {
    Map<String, String> env = new HashMap<>(REQUIRED_ENV);
    env.put("FLOE_CHECKPOINT_INTERVAL", "soon");
    assertThatThrownBy(() -> load(env, new Configuration()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith(
            "Invalid setting floe.checkpoint.interval = 'soon' (from environment variable"
                + " FLOE_CHECKPOINT_INTERVAL): ");
  }

  @Test
  void badValuesWithExactMessages() {
    assertThatThrownBy(() -> load(REQUIRED_ENV, new Configuration(), "--floe.parallelism", "0"))
        .hasMessage(
            "Invalid setting floe.parallelism = '0' (from argument --floe.parallelism): must be at"
                + " least 1");
    assertThatThrownBy(
            () -> load(REQUIRED_ENV, new Configuration(), "--floe.iceberg.table", "events"))
        .hasMessage(
            "Invalid setting floe.iceberg.table = 'events' (from argument --floe.iceberg.table):"
                + " must be <namespace>.<table>");
    assertThatThrownBy(
            () ->
                load(REQUIRED_ENV, new Configuration(), "--floe.checkpoint.dir", "checkpoints/chk"))
        .hasMessage(
            "Invalid setting floe.checkpoint.dir = 'checkpoints/chk' (from argument --floe.checkpoint.dir):"
                + " must be a URI with a scheme (file:///... or gs://bucket/...)");
    assertThatThrownBy(
            () -> load(REQUIRED_ENV, new Configuration(), "--floe.catalog.uri", "postgres://x"))
        .hasMessage(
            "Invalid setting floe.catalog.uri = 'postgres://x' (from argument --floe.catalog.uri):"
                + " must be a JDBC URL (jdbc:postgresql://...)");
    assertThatThrownBy(() -> load(REQUIRED_ENV, new Configuration(), "--floe.kafka.group"))
        .hasMessage("Missing value for argument --floe.kafka.group");
    assertThatThrownBy(() -> load(REQUIRED_ENV, new Configuration(), "--floe.kafka.grup", "x"))
        .hasMessage("Unknown setting floe.kafka.grup (argument --floe.kafka.grup)");
  }
}
