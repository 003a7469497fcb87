package dev.floe.contract;

/**
 * How many subtasks the Flink job runs on a machine it shares with the lake's own services, as
 * {@code ./floe up} runs it; the drain benchmark runs the job the same way.
 */
public final class JobSizing {

  private JobSizing() {}

  /**
   * One subtask per core of this machine, at least one. One per two cores was measured too: on 2
   * cores it drained the benchmark's million rows for about a tenth less CPU in the same time, but
   * the 30-minute soak at 5,000 events/s answered later (p99 about 200 ms higher, past 2 s in some
   * minutes): one task thread then does every checkpoint's flush and commit on its own ({@code
   * docs/performance.md}).
   */
  public static int parallelism() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
