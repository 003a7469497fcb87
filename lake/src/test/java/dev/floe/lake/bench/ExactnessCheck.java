package dev.floe.lake.bench;

import dev.floe.lake.LakeClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * After sending: waits (until the drain deadline) for the job's lag to reach 0 and the table to
 * hold every acknowledged event, then counts the table's rows and distinct event ids.
 */
final class ExactnessCheck {

  private static final Duration POLL = Duration.ofSeconds(2);

  /**
   * What the table holds.
   *
   * @param inLake rows, -1 when the count failed
   * @param distinct distinct event ids, -1 when a count failed
   */
  record Counts(long inLake, long distinct) {}

  private final LakeClient client;
  private final JobFigures job;
  private final int drainSeconds;

  ExactnessCheck(LakeClient client, JobFigures job, int drainSeconds) {
    this.client = client;
    this.job = job;
    this.drainSeconds = drainSeconds;
  }

  /**
   * Waits for the drain, then counts.
   *
   * @param acknowledged events accepted, which the table should hold
   * @return the counts, taken at the drain deadline at the latest
   */
  Counts await(long acknowledged) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
    System.out.println(
        "soak: sending done; waiting up to " + drainSeconds + " s for the job to drain");
    if (!Polling.until(deadline, POLL, () -> job.lag() == 0)) {
      System.out.println("soak: lag still " + job.lag() + " at the drain deadline");
    }
    // the Kafka offsets and the Iceberg commit of a checkpoint are committed separately
    Polling.until(deadline, POLL, () -> count("SELECT count(*) FROM events") >= acknowledged);
    long inLake = count("SELECT count(*) FROM events");
    // by the id's first hex digit: 16 small aggregations instead of one over every id, which
    // exceeds the memory of the test-sized Trino (1 GB) at 9M ids
    long distinct = 0;
    for (char digit : "0123456789abcdef".toCharArray()) {
      long part =
          count(
              "SELECT count(DISTINCT event_id) FROM events WHERE substr(event_id, 1, 1) = '"
                  + digit
                  + "'");
      if (part < 0) {
        distinct = -1;
        break;
      }
      distinct += part;
    }
    return new Counts(inLake, distinct);
  }

  private long count(String sql) {
    LakeClient.Answer a = client.query(sql, 1);
    if (a.status() != 200) {
      System.err.println(
          "soak: " + sql + " answered " + a.status() + ": " + SoakReport.abbreviate(a.body()));
      return -1;
    }
    return a.json().path("rows").path(0).path(0).asLong(-1);
  }
}
