package dev.floe.lake.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Polling with a deadline, for the runs that must report (not fail) when the deadline passes. */
final class Polling {

  private Polling() {}

  /**
   * Asks a condition every {@code every} until it holds or the deadline passes.
   *
   * @param deadline a {@link System#nanoTime} instant
   * @param every how often to ask
   * @param condition the condition
   * @return whether it held before the deadline
   */
  static boolean until(long deadline, Duration every, BooleanSupplier condition) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return condition.getAsBoolean();
    }
    try {
      Awaitility.await()
          .atMost(Duration.ofNanos(left))
          .pollDelay(Duration.ZERO)
          .pollInterval(every)
          .until(condition::getAsBoolean);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
