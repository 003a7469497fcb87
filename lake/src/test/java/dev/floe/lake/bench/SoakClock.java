package dev.floe.lake.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak run's time: minutes 1..T counted from the start of sending, on the monotonic clock (and
 * on the wall clock for the Flink REST API's timestamps).
 */
final class SoakClock {

  static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final int minutes;
  private final long startNanos;
  private final long startEpochMs;

  private SoakClock(int minutes, long startNanos, long startEpochMs) {
    this.minutes = minutes;
    this.startNanos = startNanos;
    this.startEpochMs = startEpochMs;
  }

  /**
   * Starts the run's time now.
   *
   * @param minutes the run's length
   * @return the clock
   */
  static SoakClock start(int minutes) {
    return new SoakClock(minutes, System.nanoTime(), System.currentTimeMillis());
  }

  /**
   * The run's length.
   *
   * @return T
   */
  int minutes() {
    return minutes;
  }

  /**
   * The start of sending.
   *
   * @return a {@link System#nanoTime} instant
   */
  long startNanos() {
    return startNanos;
  }

  /**
   * The minute an instant falls in; instants after the run count in its last minute.
   *
   * @param nanos a {@link System#nanoTime} instant
   * @return 1..T
   */
  int minuteOf(long nanos) {
    long m = (nanos - startNanos) / MINUTE_NANOS + 1;
    return (int) Math.max(1, Math.min(minutes, m));
  }

  /**
   * Whether the run's minutes are over at an instant.
   *
   * @param nanos a {@link System#nanoTime} instant
   * @return whether T minutes have passed since the start
   */
  boolean isOver(long nanos) {
    return nanos - startNanos >= minutes * MINUTE_NANOS;
  }

  /**
   * The end of a minute.
   *
   * @param minute 1..T
   * @return a {@link System#nanoTime} instant
   */
  long endOf(int minute) {
    return startNanos + minute * MINUTE_NANOS;
  }

  /**
   * The start of a minute on the wall clock.
   *
   * @param minute 1..T
   * @return epoch milliseconds
   */
  long startEpochMsOf(int minute) {
    return startEpochMs + (minute - 1) * 60_000L;
  }

  /**
   * Pacing, not polling: waits until an instant of the schedule (a batch's send time, a minute's
   * end). No condition is awaited, only the time.
   *
   * @param due a {@link System#nanoTime} instant; returns at once when it has passed
   */
  static void sleepUntil(long due) {
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }
}
