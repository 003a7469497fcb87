package dev.floe.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.SettingsDocs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

/**
 * Every option of the job: its default pinned here, its key in docs/configuration.md's settings
 * table (a new option fails this test until both are written down).
 */
class JobOptionsTest {

  private static final Map<String, String> PINNED = new LinkedHashMap<>();

  static {
    PINNED.put("floe.kafka.bootstrap-servers", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.kafka.topic.raw", "events.raw");
    PINNED.put("floe.kafka.topic.clean", "events.clean");
    PINNED.put("floe.kafka.topic.dlq", "events.dlq");
    PINNED.put("floe.kafka.group-id", "floe-flink-job");
    PINNED.put("floe.kafka.transactional-id-prefix", "floe-flink-job");
    PINNED.put("floe.kafka.transaction-timeout", "PT10M");
    PINNED.put("floe.catalog.name", "floe");
    PINNED.put("floe.catalog.uri", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.catalog.user", "floe");
    PINNED.put("floe.catalog.password", "");
    PINNED.put("floe.catalog.warehouse", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.iceberg.table", "lake.events");
    PINNED.put("floe.iceberg.target-file-size", "134217728");
    PINNED.put("floe.iceberg.table-refresh-interval", "PT5S");
    PINNED.put("floe.dedup.ttl", "PT1H");
    PINNED.put("floe.dedup.filter-memory", "33554432");
    PINNED.put("floe.checkpoint.interval", "PT1S");
    PINNED.put("floe.checkpoint.interval-during-backlog", "PT10S");
    PINNED.put("floe.checkpoint.backlog-threshold", "PT10S");
    PINNED.put("floe.checkpoint.dir", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.checkpoint.auto-resume", "true");
    PINNED.put("floe.parallelism", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.gcs.project-id", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.gcs.credentials-file", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.gcs.endpoint", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.maintenance.enabled", "true");
    PINNED.put("floe.maintenance.rate-limit", "PT30S");
    PINNED.put("floe.maintenance.rewrite.commit-count", "30");
    PINNED.put("floe.maintenance.rewrite.interval", "PT10M");
    PINNED.put("floe.maintenance.rewrite.min-input-files", "5");
    PINNED.put("floe.maintenance.rewrite.min-file-size", "16777216");
    PINNED.put("floe.maintenance.snapshot-retention", "PT10M");
    PINNED.put("floe.maintenance.snapshot-min-count", "10");
    PINNED.put("floe.maintenance.expire.commit-count", "30");
    PINNED.put("floe.maintenance.orphan-files.min-age", "PT24H");
    PINNED.put("floe.maintenance.orphan-files.interval", "PT1H");
    PINNED.put("floe.maintenance.start-lag", "100000");
    PINNED.put("floe.maintenance.start-delay", "PT2M");
    PINNED.put("floe.maintenance.start-timeout", "PT10M");
  }

  @Test
  void everyOptionHasItsDefaultPinned() {
    Map<String, String> actual = new LinkedHashMap<>();
    for (ConfigOption<?> option : JobOptions.ALL) {
      actual.put(option.key(), defaultOf(option));
    }
    assertThat(JobOptions.ALL).hasSameSizeAs(actual.keySet());
    SettingsDocs.assertDefaultsPinned(actual, PINNED);
  }

  @Test
  void everyOptionIsInTheReadmesSettingsTable() {
    SettingsDocs.assertDocumented(JobOptions.ALL.stream().map(ConfigOption::key).toList());
  }

  @Test
  void theEnvironmentVariableOfAnOptionIsItsKeyInUpperCase() {
    assertThat(JobOptions.environmentVariable("floe.kafka.group-id"))
        .isEqualTo(SettingsDocs.environmentVariable("floe.kafka.group-id"))
        .isEqualTo("FLOE_KAFKA_GROUP_ID");
  }

  private static String defaultOf(ConfigOption<?> option) {
    if (!option.hasDefaultValue()) {
      return SettingsDocs.NO_DEFAULT;
    }
    Object value = option.defaultValue();
    return value instanceof MemorySize m ? Long.toString(m.getBytes()) : String.valueOf(value);
  }
}
