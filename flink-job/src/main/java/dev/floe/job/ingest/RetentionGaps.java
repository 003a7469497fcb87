package dev.floe.job.ingest;

import dev.floe.contract.DeadLetter;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.job.sink.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of the raw topic that Kafka's retention deleted before the job read them. The job's group
 * commits its offsets on every completed checkpoint, so a committed offset below a partition's log
 * start offset means the records in between are gone unread. The job does not stop for them
 * (stopping would not bring them back, and the retention would go on deleting what the stopped job
 * has not read): it writes one dead letter per gap with reason {@code RETENTION_GAP}, naming the
 * partition and the range, logs it at ERROR, and reads on from the log start. This check runs when
 * the job starts; while it runs, its source resets no offset ({@code auto.offset.reset=none} once
 * every partition has a committed offset): a gap that opens under a running job fails its source,
 * which retries and never skips, until the job is started again and this check dead-letters the
 * gap. {@code ./floe status} names the gap meanwhile.
 */
public final class RetentionGaps {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionGaps.class);

  private RetentionGaps() {}

  /**
   * Offsets deleted before the job read them.
   *
   * @param topic the topic
   * @param partition the partition
   * @param from the first missing offset (the group's committed offset)
   * @param to the first offset still there (the log start offset), exclusive
   */
  public record Gap(String topic, int partition, long from, long to) {
    /** The records lost. */
    public long count() {
      return to - from;
    }

    /** One line for the log and the dead letter. */
    public String describe() {
      return String.format(
          "offsets %d-%d of %s partition %d (%d records) were deleted by Kafka's retention before"
              + " the job read them",
          from, to - 1, topic, partition, count());
    }
  }

  /**
   * The gaps between a group's committed offsets and the log start of each partition.
   *
   * @param committed the group's committed offset per partition
   * @param logStart each partition's log start offset
   * @return the gaps, by partition
   */
  public static List<Gap> between(
      Map<TopicPartition, Long> committed, Map<TopicPartition, Long> logStart) {
    List<Gap> gaps = new ArrayList<>();
    committed.forEach(
        (tp, offset) -> {
          Long start = logStart.get(tp);
          if (start != null && offset < start) {
            gaps.add(new Gap(tp.topic(), tp.partition(), offset, start));
          }
        });
    gaps.sort(java.util.Comparator.comparingInt(Gap::partition));
    return gaps;
  }

  /**
   * What the job's start found.
   *
   * @param gaps the gaps
   * @param allCommitted whether every partition of the topic has a committed offset of the group
   */
  public record Check(List<Gap> gaps, boolean allCommitted) {}

  /**
   * Reads the gaps of a group on a topic from Kafka.
   *
   * @param bootstrap bootstrap servers
   * @param topic the raw topic
   * @param groupId the job's consumer group
   * @return the gaps and whether every partition has a committed offset
   * @throws Exception when Kafka does not answer
   */
  public static Check find(String bootstrap, String topic, String groupId) throws Exception {
    GroupOffsets offsets = GroupOffsets.read(bootstrap, topic, groupId);
    if (offsets.committed().isEmpty()) {
      return new Check(List.of(), false);
    }
    return new Check(
        between(offsets.committed(), offsets.logStart()),
        offsets.committed().size() >= offsets.partitions());
  }

  /**
   * The dead letter of a gap.
   *
   * @param gap the gap
   * @param now when it is written, epoch milliseconds
   * @return the dead letter
   */
  public static DeadLetter deadLetter(Gap gap, long now) {
    DeadLetter d = new DeadLetter();
    d.reason = Reason.RETENTION_GAP.name();
    d.detail = gap.describe();
    d.payload = null;
    d.payloadEncoding = DeadLetter.NONE;
    d.topic = gap.topic();
    d.partition = gap.partition();
    d.offset = gap.from();
    d.timestamp = now;
    d.deadLetteredAt = now;
    return d;
  }

  /**
   * Writes a dead letter per gap to the dead-letter topic and logs each at ERROR; returns once
   * Kafka has them all.
   *
   * @param bootstrap bootstrap servers
   * @param dlqTopic the dead-letter topic
   * @param gaps the gaps
   * @throws Exception when Kafka does not take them
   */
  public static void deadLetter(String bootstrap, String dlqTopic, List<Gap> gaps)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      long now = System.currentTimeMillis();
      for (Gap gap : gaps) {
        LOG.error("RETENTION GAP: {}; dead-lettered as {}", gap.describe(), Reason.RETENTION_GAP);
        DeadLetter d = deadLetter(gap, now);
        producer
            .send(
                new ProducerRecord<>(dlqTopic, JsonCodec.deadLetterKey(d), JsonCodec.deadLetter(d)))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }
}
