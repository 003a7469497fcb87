package dev.floe.contract;

/**
 * How many subtasks the Flink job runs on a machine it shares with the lake's own services, as
 * {@code ./floe up} runs it; the drain benchmark runs the job the same way.
 */
public final class JobSizing {

  private JobSizing() {}

  /**
   * One subtask per two cores of this machine, at least one. A subtask keeps two threads busy: the
   * source's, which fetches records and reads their ids, and the chain from the parse to the sinks.
   * One subtask per core therefore puts twice as many busy threads as cores on the machine, and
   * doubles what every subtask holds on its own (Parquet writers per partition, transactional
   * producers, a RocksDB instance). On 2 cores one subtask drained the benchmark's million rows in
   * about the same time as two, for about a tenth less CPU, and commits as soon after each
   * checkpoint ({@code docs/performance.md}).
   */
  public static int parallelism() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }
}
