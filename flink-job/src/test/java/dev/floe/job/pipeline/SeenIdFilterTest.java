package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeenIdFilterTest {
  private static final long TTL = 60_000;
  private static final long BUDGET = 32L << 20;

  @Test
  void aFreshSubtaskAnswersNewForNewIdsAndMaybeForAnIdItHasSeen() {
    SeenIdFilter filter = new SeenIdFilter(TTL, BUDGET, 0, false);

    assertThat(filter.putIfNew(1, 2, 0)).isTrue();
    assertThat(filter.putIfNew(3, 4, 10)).isTrue();
    assertThat(filter.putIfNew(1, 2, 20)).isFalse();
    assertThat(filter.putIfNew(3, 4, TTL - 1)).isFalse();
  }

  @Test
  void nearlyEveryNewIdSkipsTheStateAndNoSeenIdIsEverAnsweredNew() {
    SeenIdFilter filter = new SeenIdFilter(TTL, BUDGET, 0, false);
    SplittableRandom random = new SplittableRandom(7);
    int ids = 3_000_000; // more than the first filter is sized for: several filters
    long[][] kept = new long[1000][];
    int maybe = 0;
    for (int i = 0; i < ids; i++) {
      long hi = random.nextLong();
      long lo = random.nextLong();
      if (!filter.putIfNew(hi, lo, i / 100)) {
        maybe++;
      }
      if (i % 3000 == 0) {
        kept[i / 3000] = new long[] {hi, lo};
      }
    }
    // about 1 % false positives per filter, a few filters
    assertThat((double) maybe / ids).isLessThan(0.05);
    assertThat(filter.filters()).isGreaterThan(1);
    for (long[] id : kept) {
      assertThat(filter.putIfNew(id[0], id[1], ids / 100)).isFalse();
    }
  }

  @Test
  void aRestoredSubtaskReadsTheStateForEveryIdUntilTheRestoredIdsHaveExpired() {
    SeenIdFilter filter = new SeenIdFilter(TTL, BUDGET, 1_000, true);

    assertThat(filter.putIfNew(1, 2, 1_000)).isFalse();
    assertThat(filter.putIfNew(5, 6, 1_000 + TTL - 1)).isFalse();
    assertThat(filter.isComplete(1_000 + TTL - 1)).isFalse();
    // every id restored was put before the start: expired in the state by now
    assertThat(filter.putIfNew(7, 8, 1_000 + TTL)).isTrue();
    assertThat(filter.putIfNew(5, 6, 1_000 + TTL + 1)).isFalse();
  }

  @Test
  void anIdIsForgottenOnceTheTtlHasPassedSinceItsFilterTookItsLastId() {
    SeenIdFilter filter = new SeenIdFilter(TTL, BUDGET, 0, false);
    assertThat(filter.putIfNew(1, 2, 0)).isTrue();
    // the first filter closes after half the TTL; the second takes ids from then on
    assertThat(filter.putIfNew(3, 4, TTL / 2)).isTrue();
    assertThat(filter.putIfNew(1, 2, TTL / 2 + 1)).isFalse(); // re-put: into the second filter

    // the state forgets an id a TTL after it was put; the filter forgets it no earlier
    assertThat(filter.putIfNew(9, 9, 2 * TTL + 2)).isTrue();
    assertThat(filter.putIfNew(3, 4, 2 * TTL + 3)).isTrue();
  }

  @Test
  void overItsBudgetItDropsTheOldestFilterAndReadsTheStateUntilThoseIdsHaveExpired() {
    // room for two filters of the first size, not three
    long twoFilters = 2 * ((long) (SeenIdFilter.FIRST_CAPACITY * 9.6 / 8) + 1024);
    SeenIdFilter filter = new SeenIdFilter(TTL, twoFilters, 0, false);
    assertThat(filter.putIfNew(1, 2, 0)).isTrue();
    assertThat(filter.putIfNew(3, 4, TTL / 2 - 1)).isTrue(); // the first filter's last id
    assertThat(filter.putIfNew(5, 6, TTL / 2)).isTrue(); // the second filter
    assertThat(filter.filters()).isEqualTo(2);

    // a TTL in, the third is due: the first is dropped while its last id still lives in the state
    assertThat(filter.putIfNew(7, 8, TTL)).isFalse();
    assertThat(filter.filters()).isEqualTo(2);
    assertThat(filter.putIfNew(3, 4, TTL + 1)).isFalse();
    assertThat(filter.isComplete(TTL + TTL / 2 - 2)).isFalse();
    // that id has expired in the state: "new" answers again
    assertThat(filter.putIfNew(9, 9, TTL + TTL / 2 - 1)).isTrue();
    assertThat(filter.putIfNew(5, 6, TTL + TTL / 2 - 1)).isFalse();
  }

  @Test
  void withoutMemoryEveryIdIsReadFromTheState() {
    SeenIdFilter filter = new SeenIdFilter(TTL, 0, 0, false);

    assertThat(filter.putIfNew(1, 2, 0)).isFalse();
    assertThat(filter.putIfNew(3, 4, 1)).isFalse();
    assertThat(filter.bytes()).isZero();
  }
}
