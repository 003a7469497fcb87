package dev.floe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.job.config.JobSettings;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class KafkaSinksTest {

  private static final JobSettings SETTINGS =
      JobSettings.load(
          new String[0],
          Map.of(
              "FLOE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
              "FLOE_CATALOG_URI", "jdbc:postgresql://db:5432/floe",
              "FLOE_CATALOG_WAREHOUSE", "file:///tmp/warehouse",
              "FLOE_CHECKPOINT_DIR", "file:///tmp/checkpoints"),
          new Configuration());

  @Test
  void sinksDescribeTheirTopicsForLineage() {
    assertThat(KafkaSinks.clean(SETTINGS).getLineageVertex().datasets()).hasSize(1);
    assertThat(KafkaSinks.deadLetters(SETTINGS).getLineageVertex().datasets()).hasSize(1);
  }
}
