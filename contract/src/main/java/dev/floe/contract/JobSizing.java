package dev.floe.contract;

/**
 * How many subtasks the Flink job runs on a machine it shares with nothing heavier than the lake's
 * own services, as {@code ./floe up} runs it; the drain benchmark runs the job the same way.
 */
public final class JobSizing {

  private JobSizing() {}

  /**
   * One subtask per two cores, at least one. A subtask keeps two threads busy: the source's, which
   * fetches records and reads their ids, and the chain from the parse to the sinks. One subtask per
   * core therefore puts twice as many busy threads as cores on the machine, and doubles what every
   * subtask holds on its own (Parquet writers per partition, transactional producers, a RocksDB
   * instance). On 2 cores, parallelism 2 drained the benchmark's million rows in about the same
   * time as parallelism 1 for about a tenth more CPU ({@code docs/performance.md}).
   *
   * @param cores the machine's cores ({@code Runtime.availableProcessors()})
   */
  public static int parallelism(int cores) {
    return Math.max(1, cores / 2);
  }
}
