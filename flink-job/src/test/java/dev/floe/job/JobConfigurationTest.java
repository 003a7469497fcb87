package dev.floe.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.job.config.JobSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flink settings the job runs with: state off the heap, commits that follow the load. */
class JobConfigurationTest {

  @TempDir Path dir;

  private JobSettings settings(String... args) {
    Map<String, String> env =
        Map.of(
            "FLOE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "FLOE_CATALOG_URI", "jdbc:postgresql://127.0.0.1:5433/floe_catalog",
            "FLOE_CATALOG_WAREHOUSE", "file:///tmp/warehouse",
            "FLOE_CHECKPOINT_DIR", dir.toUri().toString());
    return JobSettings.load(args, env, new Configuration());
  }

  @Test
  void dedupStateIsOnRocksDbCheckpointedThroughTheChangelogBesideTheCheckpoints() throws Exception {
    Configuration conf = FloeJobMain.environmentConfiguration(settings());
    assertThat(conf.getString("state.backend.type", null)).isEqualTo("rocksdb");
    assertThat(conf.getString("state.backend.rocksdb.use-bloom-filter", null)).isEqualTo("true");
    assertThat(conf.getString("state.changelog.enabled", null)).isEqualTo("true");
    assertThat(conf.getString("state.changelog.storage", null)).isEqualTo("filesystem");
    assertThat(conf.getString("state.changelog.dstl.dfs.base-path", null))
        .isEqualTo(dir.toUri().toString().replaceAll("/+$", "") + "/changelog");
  }

  @Test
  void commitsEverySecondAndEveryTenSecondsWhileDrainingABacklog() throws Exception {
    Configuration conf = FloeJobMain.environmentConfiguration(settings());
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aFlinkSettingGivenToTheJobWinsOverTheStateDefaults() throws Exception {
    Configuration conf =
        FloeJobMain.environmentConfiguration(
            settings("--state.backend.type", "hashmap", "--state.changelog.enabled", "false"));
    assertThat(conf.getString("state.backend.type", null)).isEqualTo("hashmap");
    assertThat(conf.getString("state.changelog.enabled", null)).isEqualTo("false");
  }
}
