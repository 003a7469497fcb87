package dev.floe.console.source;

import dev.floe.view.DeadLetterReader;
import dev.floe.view.KafkaLag;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka, read-only, over the lake view's readers: the consumer lag of the job's group on the raw
 * topic per partition and its retention ({@link KafkaLag}), the records committed to the clean
 * topic, and the dead-letter topic read from its start ({@link DeadLetterReader}), counting every
 * dead letter by reason and keeping the newest ones. Used by one thread (the sampler).
 */
public final class KafkaSource extends KafkaLag {

  /** Dead letters kept for the page, newest first. */
  static final int LATEST = 20;

  /** Past this share of the retention, the oldest unread record gets a warning. */
  public static final double RETENTION_WARN_FRACTION = 0.5;

  private final String cleanTopic;
  private final DeadLetterReader dlq;
  private final Map<String, Long> byReason = new TreeMap<>();
  private final Deque<DeadLetterReader.Letter> latest = new ArrayDeque<>();
  private long total;

  /**
   * The dead letters so far.
   *
   * @param total dead letters in the topic
   * @param byReason count per reason
   * @param latest the newest ones, newest first
   */
  public record DeadLetters(
      long total, Map<String, Long> byReason, List<DeadLetterReader.Letter> latest) {}

  /**
   * How close the job is to Kafka's retention on the raw topic, as the page shows it.
   *
   * @param retentionMs the topic's retention.ms, null when unlimited
   * @param oldestUnreadAgeMs age of the oldest record the job's group has not committed, null when
   *     caught up
   * @param gaps ranges deleted before the job read them ("partition P: offsets A-B")
   * @param warning whether the oldest unread record is past half the retention, or a gap exists
   */
  public record Retention(
      Long retentionMs, Long oldestUnreadAgeMs, List<String> gaps, boolean warning) {}

  /**
   * A source for one cluster.
   *
   * @param bootstrap bootstrap servers
   * @param groupId the job's group
   * @param rawTopic the raw topic
   * @param dlqTopic the dead-letter topic
   * @param cleanTopic the topic of clean events
   * @param timeout deadline of each request
   */
  public KafkaSource(
      String bootstrap,
      String groupId,
      String rawTopic,
      String dlqTopic,
      String cleanTopic,
      Duration timeout) {
    super(bootstrap, "floe-console", groupId, rawTopic, timeout);
    this.cleanTopic = cleanTopic;
    this.dlq = new DeadLetterReader(bootstrap, dlqTopic, "floe-console-dlq", timeout);
  }

  /**
   * The raw topic's retention against the job group's progress.
   *
   * @param lag the lag just read ({@link #lag})
   * @param now the time now, epoch ms
   * @return the retention view
   * @throws IOException when Kafka does not answer in time
   */
  public Retention retention(List<PartitionLag> lag, long now) throws IOException {
    KafkaLag.Retention r = super.retention(lag, Instant.ofEpochMilli(now));
    List<String> gaps =
        r.gaps().stream()
            .map(
                g ->
                    "partition "
                        + g.partition()
                        + ": offsets "
                        + g.from()
                        + "-"
                        + g.to()
                        + " deleted before the job read them")
            .toList();
    return new Retention(
        r.retention().map(Duration::toMillis).orElse(null),
        r.oldestUnreadAge().map(Duration::toMillis).orElse(null),
        gaps,
        !gaps.isEmpty() || r.pastShare(RETENTION_WARN_FRACTION));
  }

  /**
   * Records committed to the clean topic so far: the sum of its end offsets, read committed (the
   * job writes it in transactions, one per checkpoint). Its growth is the job's output rate, read
   * without asking the job.
   *
   * @return the sum of the end offsets
   * @throws IOException when Kafka does not answer in time
   */
  public long cleanRecords() throws IOException {
    return committedRecords(cleanTopic);
  }

  /**
   * Reads what the dead-letter topic got since the last call (from its start on the first).
   *
   * @return every dead letter counted so far
   * @throws IOException when the topic cannot be read
   */
  public DeadLetters deadLetters() throws IOException {
    for (DeadLetterReader.Letter d : dlq.poll()) {
      total++;
      byReason.merge(d.reason(), 1L, Long::sum);
      latest.addFirst(d);
      while (latest.size() > LATEST) {
        latest.removeLast();
      }
    }
    return new DeadLetters(total, new TreeMap<>(byReason), List.copyOf(latest));
  }

  @Override
  public void close() {
    super.close();
    dlq.close();
  }
}
