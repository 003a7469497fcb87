package dev.floe.console.sample;

import dev.floe.console.source.TableSource;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The table's maintenance as seen from its snapshots, newest first: a compaction is a new replace
 * snapshot, an expiry is the oldest kept snapshot moving on. Holds the last {@value #CAPACITY}.
 * Observed from one thread (the table's sampling).
 */
final class MaintenanceTimeline {

  static final int CAPACITY = 50;

  private final Deque<Overview.Maintenance> events = new ArrayDeque<>();
  private String lastCompaction;
  private Long lastOldestRetained;

  /** Adds what changed since the previous sample. */
  void observe(TableSource.TableSample s, long now) {
    if (s.compactionId() != null && !s.compactionId().equals(lastCompaction)) {
      lastCompaction = s.compactionId();
      events.addFirst(
          new Overview.Maintenance(
              s.compactionAt() == null ? null : Instant.ofEpochMilli(s.compactionAt()).toString(),
              "compaction",
              "snapshot "
                  + s.compactionId()
                  + ": "
                  + (s.compactionRemoved() == null ? "?" : s.compactionRemoved())
                  + " data files rewritten into "
                  + (s.compactionAdded() == null ? "?" : s.compactionAdded())));
    }
    if (s.oldestAt() != null) {
      if (lastOldestRetained != null && s.oldestAt() > lastOldestRetained) {
        events.addFirst(
            new Overview.Maintenance(
                Instant.ofEpochMilli(now).toString(),
                "expiry",
                "snapshots committed before " + Instant.ofEpochMilli(s.oldestAt()) + " expired"));
      }
      lastOldestRetained = s.oldestAt();
    }
    while (events.size() > CAPACITY) {
      events.removeLast();
    }
  }

  /** The events, newest first. */
  List<Overview.Maintenance> events() {
    return List.copyOf(events);
  }
}
