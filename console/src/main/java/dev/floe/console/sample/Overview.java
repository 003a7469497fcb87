package dev.floe.console.sample;

import dev.floe.console.source.KafkaSource;
import dev.floe.console.source.TableSource;
import java.util.List;

/**
 * Everything the page shows, as of the newest sample.
 *
 * @param generatedAt when this answer was made, epoch ms
 * @param sampling whether the console is sampling (it pauses when nobody asked for a while)
 * @param sampleIntervalMs the sampling interval of producers, job and Kafka
 * @param tableIntervalMs the sampling interval of the table
 * @param sources every source, up or down, with the error when down
 * @param series the charts' time series (producers, job, lag, freshness, checkpoints)
 * @param tableSeries the table's time series (rows, data files, snapshots)
 * @param job the Flink job now, null before the first answer
 * @param lag consumer lag of the job's group on the raw topic, per partition
 * @param table the table now, null before the first answer
 * @param deadLetters dead letters by reason and the newest ones, null before the first answer
 * @param retention the raw topic's retention against the job's oldest unread record, and gaps; null
 *     before the first answer
 */
public record Overview(
    long generatedAt,
    boolean sampling,
    long sampleIntervalMs,
    long tableIntervalMs,
    List<SourceStatus> sources,
    Series series,
    Series tableSeries,
    Job job,
    List<KafkaSource.PartitionLag> lag,
    Table table,
    KafkaSource.DeadLetters deadLetters,
    KafkaSource.Retention retention) {

  /**
   * One source the console reads.
   *
   * @param name e.g. producer-1, flink, kafka, table
   * @param kind producer, flink, kafka or table
   * @param address where it is read
   * @param up whether its last read succeeded
   * @param error why not, when down
   * @param checkedAt when it was last read, epoch ms
   */
  public record SourceStatus(
      String name, String kind, String address, boolean up, String error, Long checkedAt) {}

  /**
   * The Flink job.
   *
   * @param jobId its id
   * @param name its name
   * @param state RUNNING, RESTARTING, FAILED, ...
   * @param restarts restarts since it was submitted
   * @param recordsInPerSecond raw records per second the job committed reading (its group's offsets
   *     on the raw topic)
   * @param recordsOutPerSecond clean events per second the job committed to the clean topic
   * @param lastCheckpointId the last completed checkpoint
   * @param lastCheckpointAt when it completed, epoch ms
   * @param lastCheckpointAgeMs how long ago
   * @param lastCheckpointDurationMs its end-to-end duration
   * @param lastCheckpointSizeBytes its (incremental) size
   * @param stateSizeBytes the full state size
   * @param checkpointsFailed failed checkpoints since the job started
   * @param commitIntervalMs the commit (checkpoint) interval in force
   * @param drainingBacklog whether the job drains a backlog (longer interval)
   * @param freshnessP50Ms producedAt to commit, median over the last minute (the job's metric)
   * @param freshnessP99Ms the same, 99th percentile (maximum over subtasks)
   * @param freshnessEvents events committed in that minute (sampled in very large checkpoints)
   * @param lastFailure the job's latest failure with its innermost cause (why it restarts: a full
   *     disk says No space left on device), null when it never failed
   */
  public record Job(
      String jobId,
      String name,
      String state,
      Long restarts,
      Double recordsInPerSecond,
      Double recordsOutPerSecond,
      Long lastCheckpointId,
      Long lastCheckpointAt,
      Long lastCheckpointAgeMs,
      Long lastCheckpointDurationMs,
      Long lastCheckpointSizeBytes,
      Long stateSizeBytes,
      Long checkpointsFailed,
      Long commitIntervalMs,
      Boolean drainingBacklog,
      Long freshnessP50Ms,
      Long freshnessP99Ms,
      Long freshnessEvents,
      String lastFailure) {}

  /**
   * The table.
   *
   * @param checkedAt when it was read, epoch ms
   * @param rows rows
   * @param dataFiles live data files
   * @param snapshots snapshots kept
   * @param lastCommitAt the newest snapshot's commit time
   * @param filesPerPartition data files per partition, most first
   * @param partitionsCheckedAt when those were read (every partitions-interval), epoch ms
   * @param timeline compactions and expiries seen, newest first
   */
  public record Table(
      long checkedAt,
      Long rows,
      Long dataFiles,
      Long snapshots,
      String lastCommitAt,
      List<TableSource.PartitionFiles> filesPerPartition,
      Long partitionsCheckedAt,
      List<Maintenance> timeline) {}

  /**
   * A maintenance event of the table.
   *
   * @param at when, ISO instant
   * @param kind compaction or expiry
   * @param detail what happened
   */
  public record Maintenance(String at, String kind, String detail) {}
}
