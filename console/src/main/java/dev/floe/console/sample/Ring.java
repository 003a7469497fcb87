package dev.floe.console.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last samples of a kind, oldest first, each a time and named values; turned into aligned
 * columns for a chart ({@code null} where a sample has no value: a gap, e.g. a source down).
 */
final class Ring {

  private final int capacity;
  private final long[] times;
  private final List<Map<String, Double>> values;
  private int start;
  private int size;

  Ring(int capacity) {
    this.capacity = capacity;
    this.times = new long[capacity];
    this.values = new ArrayList<>(capacity);
    for (int i = 0; i < capacity; i++) {
      values.add(null);
    }
  }

  synchronized void add(long time, Map<String, Double> sample) {
    int at = (start + size) % capacity;
    if (size == capacity) {
      start = (start + 1) % capacity;
    } else {
      size++;
    }
    times[at] = time;
    values.set(at, sample);
  }

  /**
   * The newest samples as columns.
   *
   * @param points at most this many
   * @param since only samples taken after this time (epoch ms; 0 = all)
   * @return the series
   */
  synchronized Series series(int points, long since) {
    int first = size - Math.min(points, size);
    while (first < size && times[(start + first) % capacity] <= since) {
      first++;
    }
    int n = size - first;
    List<Long> t = new ArrayList<>(n);
    Set<String> names = new LinkedHashSet<>();
    for (int i = first; i < size; i++) {
      int at = (start + i) % capacity;
      t.add(times[at]);
      names.addAll(values.get(at).keySet());
    }
    Map<String, List<Double>> columns = new LinkedHashMap<>();
    for (String name : names.stream().sorted().toList()) {
      List<Double> column = new ArrayList<>(n);
      for (int i = first; i < size; i++) {
        column.add(values.get((start + i) % capacity).get(name));
      }
      columns.put(name, column);
    }
    return new Series(t, columns);
  }

  /** Puts a value into a sample, unless it is unknown. */
  static void put(Map<String, Double> sample, String name, Long value) {
    if (value != null) {
      sample.put(name, value.doubleValue());
    }
  }

  synchronized void clear() {
    size = 0;
    start = 0;
  }
}
