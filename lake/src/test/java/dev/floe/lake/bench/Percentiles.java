package dev.floe.lake.bench;

import java.util.List;

/** Nearest-rank percentiles, as the benchmarks print them. */
final class Percentiles {

  private Percentiles() {}

  /**
   * The p-th percentile of sorted values: the smallest value with at least p % of the values at or
   * below it.
   *
   * @param sorted values in ascending order
   * @param p 0..100
   * @return the value, or -1 when there are none
   */
  static long of(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
