package dev.floe.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreshnessTrackerTest {

  @Test
  void latencyRunsFromProducedAtToTheCompletionOfTheCheckpointThatCommitsTheEvent() {
    FreshnessTracker t = new FreshnessTracker(60);
    long now = 1_000_000_000L;
    for (int i = 0; i < 98; i++) {
      t.record(now - 1_000); // 1 s before the commit
    }
    t.record(now - 5_000);
    t.record(now - 5_000);
    t.seal(7);
    t.record(now); // after the barrier: belongs to checkpoint 8, not committed yet
    assertThat(t.percentile(0.5, now)).isEqualTo(-1);

    t.committed(7, now);

    assertThat(t.count(now)).isEqualTo(100);
    assertThat(t.percentile(0.5, now)).isEqualTo(1_000);
    assertThat(t.percentile(0.99, now)).isEqualTo(5_000);
  }

  @Test
  void aCheckpointThatNeverCompletedIsCommittedByTheNextAndTheWindowForgetsAfterAMinute() {
    FreshnessTracker t = new FreshnessTracker(60);
    long now = 2_000_000_000L;
    t.record(now - 300);
    t.seal(1);
    t.record(now - 200);
    t.seal(2);
    t.committed(2, now);
    assertThat(t.count(now)).isEqualTo(2);
    assertThat(t.percentile(0.99, now)).isEqualTo(300);
    assertThat(t.count(now + 61_000)).isZero();
    assertThat(t.percentile(0.5, now + 61_000)).isEqualTo(-1);
  }

  @Test
  void aHugeEpochIsSampledInsteadOfGrowingWithoutBound() {
    FreshnessTracker t = new FreshnessTracker(60);
    long now = 3_000_000_000L;
    for (int i = 0; i < FreshnessTracker.MAX_PER_EPOCH * 3; i++) {
      t.record(now - 2_000);
    }
    t.seal(1);
    t.committed(1, now);
    assertThat(t.count(now)).isBetween(1L, (long) FreshnessTracker.MAX_PER_EPOCH + 1);
    assertThat(t.percentile(0.5, now)).isEqualTo(2_000);
  }
}
