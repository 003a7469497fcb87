package dev.floe.job.metrics;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Freshness as the pipeline itself measures it: for each event that goes on to the table, the time
 * from its {@code producedAt} to the completion of the checkpoint that commits it (the moment the
 * Iceberg committer commits that checkpoint's files), as p50/p99 over a sliding window.
 *
 * <p>Cheap per record on purpose: a record adds one {@code long} to a reused array; the latencies
 * are computed once per checkpoint and counted into fixed histogram buckets of one-second slots, so
 * nothing is allocated per record and the window's memory is fixed. An epoch holds at most {@link
 * #MAX_PER_EPOCH} samples; beyond that every other record is skipped (a long backlog checkpoint
 * still gets a fair sample). Not thread-safe for recording (the task thread); the percentile reads
 * (metric threads) synchronise with the commit step.
 */
public final class FreshnessTracker {

  /** Samples kept per checkpoint epoch before sampling halves. */
  static final int MAX_PER_EPOCH = 1 << 18;

  /** Bucket upper bounds in ms: 10 ms steps to 1 s, 100 ms to 10 s, 1 s to 10 min. */
  private static final long[] BOUNDS = bounds();

  private final int windowSeconds;
  private final int[][] slots;
  private final long[] slotSecond;
  private final ArrayDeque<Epoch> sealed = new ArrayDeque<>();
  private final ArrayDeque<long[]> pool = new ArrayDeque<>();
  private long[] current = new long[1024];
  private int size;
  private int stride = 1;
  private long seen;

  private record Epoch(long checkpointId, long[] producedAt, int size) {}

  /**
   * A tracker with a sliding window.
   *
   * @param windowSeconds the window the percentiles cover
   */
  public FreshnessTracker(int windowSeconds) {
    this.windowSeconds = windowSeconds;
    this.slots = new int[windowSeconds][BOUNDS.length];
    this.slotSecond = new long[windowSeconds];
    Arrays.fill(slotSecond, Long.MIN_VALUE);
  }

  private static long[] bounds() {
    long[] b = new long[100 + 90 + 590];
    int i = 0;
    for (long v = 10; v <= 1_000; v += 10) {
      b[i++] = v;
    }
    for (long v = 1_100; v <= 10_000; v += 100) {
      b[i++] = v;
    }
    for (long v = 11_000; v <= 600_000; v += 1_000) {
      b[i++] = v;
    }
    return b;
  }

  /**
   * Notes an event on its way to the table.
   *
   * @param producedAtMillis its producedAt, epoch milliseconds
   */
  public void record(long producedAtMillis) {
    if (seen++ % stride != 0) {
      return;
    }
    if (size == current.length) {
      if (size >= MAX_PER_EPOCH) {
        // keep every other sample: halve what is held and the rate of what comes
        for (int i = 0; i < size / 2; i++) {
          current[i] = current[2 * i];
        }
        size /= 2;
        stride *= 2;
      } else {
        current = Arrays.copyOf(current, current.length * 2);
      }
    }
    current[size++] = producedAtMillis;
  }

  /**
   * The events recorded so far belong to this checkpoint (called at its barrier).
   *
   * @param checkpointId the checkpoint
   */
  public void seal(long checkpointId) {
    sealed.add(new Epoch(checkpointId, current, size));
    long[] next = pool.poll();
    current = next != null ? next : new long[1024];
    size = 0;
    stride = 1;
    seen = 0;
  }

  /**
   * A checkpoint completed: its events and those of earlier checkpoints are committed now.
   *
   * @param checkpointId the completed checkpoint
   * @param nowMillis the time of completion
   */
  public void committed(long checkpointId, long nowMillis) {
    while (!sealed.isEmpty() && sealed.peek().checkpointId() <= checkpointId) {
      Epoch e = sealed.poll();
      synchronized (this) {
        int[] slot = slot(nowMillis / 1000);
        for (int i = 0; i < e.size(); i++) {
          slot[bucket(nowMillis - e.producedAt()[i])]++;
        }
      }
      if (pool.size() < 4 && e.producedAt().length <= 1 << 16) {
        pool.add(e.producedAt());
      }
    }
  }

  private int[] slot(long second) {
    int index = (int) Math.floorMod(second, (long) windowSeconds);
    if (slotSecond[index] != second) {
      Arrays.fill(slots[index], 0);
      slotSecond[index] = second;
    }
    return slots[index];
  }

  static int bucket(long latencyMs) {
    int i = Arrays.binarySearch(BOUNDS, Math.max(0, latencyMs));
    int b = i >= 0 ? i : -i - 1;
    return Math.min(b, BOUNDS.length - 1);
  }

  /**
   * A percentile over the window ending now.
   *
   * @param quantile e.g. 0.99
   * @param nowMillis now
   * @return the bucket bound in ms at that quantile, or -1 when the window holds no event
   */
  public synchronized long percentile(double quantile, long nowMillis) {
    long[] counts = new long[BOUNDS.length];
    long total = merge(counts, nowMillis);
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(quantile * total);
    long run = 0;
    for (int b = 0; b < counts.length; b++) {
      run += counts[b];
      if (run >= rank) {
        return BOUNDS[b];
      }
    }
    return BOUNDS[BOUNDS.length - 1];
  }

  /**
   * Events committed within the window ending now (sampled ones, see the class comment).
   *
   * @param nowMillis now
   * @return the count
   */
  public synchronized long count(long nowMillis) {
    return merge(new long[BOUNDS.length], nowMillis);
  }

  private long merge(long[] counts, long nowMillis) {
    long nowSecond = nowMillis / 1000;
    long total = 0;
    for (int s = 0; s < windowSeconds; s++) {
      if (slotSecond[s] > nowSecond - windowSeconds && slotSecond[s] <= nowSecond) {
        for (int b = 0; b < counts.length; b++) {
          counts[b] += slots[s][b];
          total += slots[s][b];
        }
      }
    }
    return total;
  }
}
