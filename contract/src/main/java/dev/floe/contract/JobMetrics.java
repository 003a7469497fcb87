package dev.floe.contract;

import java.util.List;

/**
 * The Flink job's own metrics, named once: the job registers them under these names and every
 * reader ({@code ./floe status}, the console, the tests and benchmarks) looks them up by the same
 * constants. Flink's REST API lists a metric of an operator as {@code <subtask>.<GROUP>.<name>}
 * (see {@link #restSuffix}); Prometheus sees it as {@code flink_taskmanager_job_task_operator_
 * floe_<name>}.
 */
public final class JobMetrics {

  private JobMetrics() {}

  /** The metric group every job metric is registered under. */
  public static final String GROUP = "floe";

  /** Counter: raw records the parse and deduplicate step read. */
  public static final String RECORDS_IN_COUNTER = "recordsIn";

  /** Counter: raw records routed to the dead-letter topic. */
  public static final String DEAD_LETTERED_COUNTER = "deadLettered";

  /** Counter: events dropped as duplicates of an event id already seen. */
  public static final String DUPLICATES_DROPPED_COUNTER = "duplicatesDropped";

  /** Counter: events sent on to the sinks. */
  public static final String CLEAN_OUT_COUNTER = "cleanOut";

  /** Counter: events dead-lettered because an extra field does not fit its table column. */
  public static final String SCHEMA_CONFLICTS_COUNTER = "schemaConflicts";

  /** Counter: table columns the job added for extra fields. */
  public static final String COLUMNS_ADDED_COUNTER = "columnsAdded";

  /** Gauge: median freshness (event produced to committed), ms, over the recent window. */
  public static final String FRESHNESS_P50_GAUGE = "freshnessP50Ms";

  /** Gauge: 99th percentile of the freshness, ms, over the recent window. */
  public static final String FRESHNESS_P99_GAUGE = "freshnessP99Ms";

  /** Gauge: events in the freshness window (a subtask's share: readers sum it). */
  public static final String FRESHNESS_EVENTS_GAUGE = "freshnessEvents";

  /** Gauge of the raw source's readers: 1 while the job drains a backlog, else 0. */
  public static final String PROCESSING_BACKLOG_GAUGE = "processingBacklog";

  /** Gauge of the raw source's readers: the checkpoint (commit) interval in force, ms. */
  public static final String COMMIT_INTERVAL_GAUGE = "commitIntervalMs";

  /** Counters: a reader sums them over subtasks. */
  public static final List<String> COUNTERS =
      List.of(
          RECORDS_IN_COUNTER,
          DEAD_LETTERED_COUNTER,
          DUPLICATES_DROPPED_COUNTER,
          CLEAN_OUT_COUNTER,
          SCHEMA_CONFLICTS_COUNTER,
          COLUMNS_ADDED_COUNTER);

  /**
   * Gauges: a reader takes their maximum over subtasks, but sums {@link #FRESHNESS_EVENTS_GAUGE}.
   */
  public static final List<String> GAUGES =
      List.of(
          FRESHNESS_P50_GAUGE,
          FRESHNESS_P99_GAUGE,
          FRESHNESS_EVENTS_GAUGE,
          PROCESSING_BACKLOG_GAUGE,
          COMMIT_INTERVAL_GAUGE);

  /**
   * Whether a reader sums a metric over subtasks (counters, and the events of the freshness
   * window), rather than taking the maximum (the other gauges).
   *
   * @param name a metric name of this class
   * @return true to sum
   */
  public static boolean summed(String name) {
    return COUNTERS.contains(name) || FRESHNESS_EVENTS_GAUGE.equals(name);
  }

  /**
   * The end of the metric's id in Flink's REST API ({@code 0.Source__x.floe.commitIntervalMs}).
   *
   * @param name a metric name of this class
   * @return {@code floe.<name>}
   */
  public static String restSuffix(String name) {
    return GROUP + "." + name;
  }
}
