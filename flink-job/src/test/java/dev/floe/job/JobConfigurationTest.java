package dev.floe.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.job.config.JobSettings;
import dev.floe.job.testing.JobArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flink settings the job runs with: state off the heap, commits that follow the load. */
class JobConfigurationTest {

  @TempDir Path dir;

  /** The required settings, with the checkpoints in a directory of this test. */
  private JobSettings settings(String... args) {
    List<String> all = new ArrayList<>(List.of("--floe.checkpoint.dir", dir.toUri().toString()));
    all.addAll(List.of(args));
    return JobSettings.load(all.toArray(String[]::new), JobArgs.REQUIRED_ENV, new Configuration());
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
