package dev.floe.console.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.console.source.TableSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplersTest {

  private static TableSource.TableSample snapshots(Long oldestAt, String compactionId) {
    return new TableSource.TableSample(3, oldestAt, 9_000L, 10L, 2L, compactionId, 5_000L, 4L, 1L);
  }

  @Test
  void compactionsAndExpiriesAreListedNewestFirstOnceEach() {
    MaintenanceTimeline timeline = new MaintenanceTimeline();
    timeline.observe(snapshots(1_000L, null), 10_000);
    assertThat(timeline.events()).as("the first sample is the baseline").isEmpty();
    timeline.observe(snapshots(1_000L, "42"), 20_000);
    timeline.observe(snapshots(1_000L, "42"), 30_000);
    timeline.observe(snapshots(2_000L, "42"), 40_000);
    assertThat(timeline.events())
        .containsExactly(
            new Overview.Maintenance(
                "1970-01-01T00:00:40Z",
                "expiry",
                "snapshots committed before 1970-01-01T00:00:02Z expired"),
            new Overview.Maintenance(
                "1970-01-01T00:00:05Z",
                "compaction",
                "snapshot 42: 4 data files rewritten into 1"));
  }

  @Test
  void theTimelineKeepsTheNewestFifty() {
    MaintenanceTimeline timeline = new MaintenanceTimeline();
    for (int i = 0; i < 60; i++) {
      timeline.observe(snapshots(null, "c" + i), i);
    }
    assertThat(timeline.events()).hasSize(MaintenanceTimeline.CAPACITY);
    assertThat(timeline.events().get(0).detail()).startsWith("snapshot c59:");
  }

  @Test
  void aRateNeedsTwoReadingsOfACounterThatDidNotGoDown() {
    Rates rates = new Rates();
    Map<String, Double> values = new HashMap<>();
    assertThat(rates.rate(values, "c", 100, 1_000)).isNull();
    assertThat(rates.rate(values, "c", 150, 1_500)).isEqualTo(100.0);
    assertThat(values).containsEntry("c", 100.0);
    assertThat(rates.rate(values, "c", 10, 2_000)).as("restarted").isNull();
    rates.clear();
    assertThat(rates.rate(values, "c", 20, 2_500)).as("after a pause").isNull();
  }
}
