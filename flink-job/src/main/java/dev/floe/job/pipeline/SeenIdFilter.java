package dev.floe.job.pipeline;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The ids one dedup subtask has put into its state within the TTL, as Bloom filters (Guava) on the
 * heap: "certainly not seen" without a lookup in the state, "maybe seen" sends the id to the state,
 * which decides. Nearly every id is new, so nearly every record skips the state's read and only
 * writes.
 *
 * <p>It only answers "new" while it is <em>complete</em>, that is, holds every id the state may
 * still return:
 *
 * <ul>
 *   <li>a subtask that starts without state is complete at once;
 *   <li>a subtask restored from a checkpoint (a restart, a rescale) is not: the restored ids are
 *       not in its filters. It reads the state for every id until the TTL has passed since it
 *       started, when every restored id has expired;
 *   <li>a filter is dropped once the TTL has passed since its last id went in (its ids have expired
 *       in the state too); when the filters outgrow their memory budget the oldest is dropped
 *       early, and the subtask reads the state for every id until that filter's ids have expired.
 * </ul>
 *
 * Ids go into one filter at a time. A filter is closed after half the TTL, or early when it holds
 * the ids it was sized for; the next is sized for the rate seen so far, so a steady rate keeps
 * about three filters (1 % false positives: about 10 bits per id). Not thread-safe: a subtask's
 * thread only.
 */
final class SeenIdFilter {
  /** The ids a first filter is sized for, before any rate is known. */
  static final long FIRST_CAPACITY = 1 << 20;

  private static final double FALSE_POSITIVES = 0.01;

  /** The 128 bits of an id. */
  private static final Funnel<long[]> ID = (id, sink) -> sink.putLong(id[0]).putLong(id[1]);

  private final long ttlMillis;
  private final long budgetBytes;
  private final Deque<Generation> generations = new ArrayDeque<>(); // newest first
  private final long[] id = new long[2];
  private long completeFrom;

  /**
   * @param ttlMillis how long the state keeps an id
   * @param budgetBytes memory for the filters; 0 turns the filter off (every id is read)
   * @param now the current time (ms)
   * @param restored whether the subtask's state was restored: then it may hold ids that are not in
   *     the filters, until they expire
   */
  SeenIdFilter(long ttlMillis, long budgetBytes, long now, boolean restored) {
    this.ttlMillis = ttlMillis;
    this.budgetBytes = budgetBytes;
    this.completeFrom = budgetBytes <= 0 ? Long.MAX_VALUE : restored ? now + ttlMillis : now;
  }

  /**
   * Records an id and tells whether it was certainly not put before within the TTL. False means
   * "maybe": the state decides.
   */
  boolean putIfNew(long hi, long lo, long now) {
    if (budgetBytes <= 0) {
      return false;
    }
    Generation current = current(now);
    id[0] = hi;
    id[1] = lo;
    boolean changed = current.ids.put(id);
    current.count++;
    current.lastPut = now;
    if (!changed || now < completeFrom) {
      return false;
    }
    Iterator<Generation> older = generations.iterator();
    older.next(); // the current one
    while (older.hasNext()) {
      if (older.next().ids.mightContain(id)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a "new" answer is possible now. */
  boolean isComplete(long now) {
    return now >= completeFrom;
  }

  /** The memory the filters hold, in bytes (approximate). */
  long bytes() {
    long bytes = 0;
    for (Generation g : generations) {
      bytes += g.bytes;
    }
    return bytes;
  }

  int filters() {
    return generations.size();
  }

  private Generation current(long now) {
    Generation current = generations.peekFirst();
    if (current != null
        && now - current.createdAt < ttlMillis / 2
        && current.count < current.capacity) {
      return current;
    }
    // expired filters: the state no longer returns any of their ids
    while (!generations.isEmpty() && generations.peekLast().lastPut + ttlMillis < now) {
      generations.removeLast();
    }
    long capacity = FIRST_CAPACITY;
    if (current != null) {
      long elapsed = Math.max(1, now - current.createdAt);
      long perHalfTtl = (long) ((double) current.count * (ttlMillis / 2.0) / elapsed);
      capacity = Math.max(FIRST_CAPACITY, perHalfTtl + perHalfTtl / 4);
    }
    Generation next = new Generation(capacity, now);
    while (!generations.isEmpty() && bytes() + next.bytes > budgetBytes) {
      Generation dropped = generations.removeLast();
      // until its ids expire, the state may hold ids no filter has
      completeFrom = Math.max(completeFrom, dropped.lastPut + ttlMillis);
    }
    if (next.bytes > budgetBytes) {
      // one filter alone is over the budget: size it to the budget (more false positives)
      next = new Generation(Math.max(1, budgetBytes * 8 / 10), now);
    }
    generations.addFirst(next);
    return next;
  }

  private static final class Generation {
    final BloomFilter<long[]> ids;
    final long capacity;
    final long createdAt;
    final long bytes;
    long count;
    long lastPut;

    Generation(long capacity, long now) {
      this.ids = BloomFilter.create(ID, capacity, FALSE_POSITIVES);
      this.capacity = capacity;
      this.createdAt = now;
      this.lastPut = now;
      // Guava's optimal size for n ids at p: -n ln p / (ln 2)^2 bits
      this.bytes =
          (long) (-capacity * Math.log(FALSE_POSITIVES) / (Math.log(2) * Math.log(2)) / 8) + 64;
    }
  }
}
