package dev.floe.view;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer group's progress on a topic, read-only over Kafka's Admin API: the lag per partition
 * (committed offsets against the ends, read committed: the job's topics are written in
 * transactions), how close the group is to the topic's retention (the age of the oldest record not
 * committed yet, and the ranges deleted before the group read them), and a topic's committed record
 * count. Commits nothing and joins no group. The admin client (and the consumer that reads the
 * oldest unread record) are opened on first use and kept; after a failure the admin client is
 * opened afresh, since its metadata may point at a broker that went away. Not thread-safe.
 */
public class KafkaLag implements AutoCloseable {

  private final String bootstrap;
  private final String clientId;
  private final String groupId;
  private final String topic;
  private final Duration timeout;
  private Admin admin;
  private KafkaConsumer<byte[], byte[]> reader;

  /**
   * The lag of one partition.
   *
   * @param partition the partition
   * @param end its end offset (read committed)
   * @param committed the group's committed offset, 0 when none
   * @param lag end - committed
   */
  public record PartitionLag(int partition, long end, long committed, long lag) {}

  /**
   * Offsets of a partition Kafka's retention deleted before the group read them.
   *
   * @param partition the partition
   * @param from the group's committed offset
   * @param to the last deleted offset (the log start - 1)
   */
  public record Gap(int partition, long from, long to) {}

  /**
   * How close the group is to the topic's retention.
   *
   * @param retention the topic's {@code retention.ms}, empty when unlimited
   * @param oldestUnreadAge age of the oldest record the group has not committed, empty when caught
   *     up (or when it could not be read in time)
   * @param gaps ranges deleted before the group read them, by partition
   */
  public record Retention(
      Optional<Duration> retention, Optional<Duration> oldestUnreadAge, List<Gap> gaps) {

    /**
     * Whether the oldest unread record is past the given share of the retention.
     *
     * @param fraction the share, e.g. 0.5
     * @return true when the group should catch up before Kafka deletes what it has not read
     */
    public boolean pastShare(double fraction) {
      return retention.isPresent()
          && oldestUnreadAge.isPresent()
          && oldestUnreadAge.get().toMillis() > retention.get().toMillis() * fraction;
    }
  }

  /**
   * A reader of one group on one topic.
   *
   * @param bootstrap bootstrap servers
   * @param clientId the client id the broker sees
   * @param groupId the group whose progress is read
   * @param topic the topic it reads
   * @param timeout deadline of each request
   */
  public KafkaLag(
      String bootstrap, String clientId, String groupId, String topic, Duration timeout) {
    this.bootstrap = bootstrap;
    this.clientId = clientId;
    this.groupId = groupId;
    this.topic = topic;
    this.timeout = timeout;
  }

  /**
   * The bootstrap servers read.
   *
   * @return bootstrap servers
   */
  protected final String bootstrap() {
    return bootstrap;
  }

  /**
   * The deadline of each request.
   *
   * @return the deadline
   */
  protected final Duration timeout() {
    return timeout;
  }

  private Admin admin() {
    if (admin == null) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
      int ms = (int) timeout.toMillis();
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
      p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
      admin = Admin.create(p);
    }
    return admin;
  }

  /**
   * The lag of the group per partition of the topic.
   *
   * @return one entry per partition, in partition order
   * @throws IOException when Kafka does not answer in time
   */
  public List<PartitionLag> lag() throws IOException {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          get(admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
      int partitions = partitions(topic);
      Map<TopicPartition, Long> ends = offsets(topic, partitions, OffsetSpec.latest());
      List<PartitionLag> out = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        TopicPartition tp = new TopicPartition(topic, i);
        long end = ends.getOrDefault(tp, 0L);
        OffsetAndMetadata c = committed.get(tp);
        long at = c == null ? 0 : c.offset();
        out.add(new PartitionLag(i, end, at, Math.max(0, end - at)));
      }
      return out;
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /**
   * The lag summed over the topic's partitions (a partition without a committed offset counts from
   * offset 0).
   *
   * @return records not committed by the group yet
   * @throws IOException when Kafka does not answer in time
   */
  public long totalLag() throws IOException {
    return lag().stream().mapToLong(PartitionLag::lag).sum();
  }

  /**
   * Reads the topic's retention, each partition's log start against the group's committed offset (a
   * gap when the committed offset is below it), and the timestamp of the oldest record not
   * committed yet.
   *
   * @param lag the lag just read ({@link #lag})
   * @param now the time now
   * @return the retention
   * @throws IOException when Kafka does not answer in time
   */
  public Retention retention(List<PartitionLag> lag, Instant now) throws IOException {
    try {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      long ms =
          Long.parseLong(
              get(admin().describeConfigs(List.of(resource)).all())
                  .get(resource)
                  .get("retention.ms")
                  .value());
      Map<TopicPartition, Long> start = offsets(topic, lag.size(), OffsetSpec.earliest());
      List<Gap> gaps = new ArrayList<>();
      Map<TopicPartition, Long> unread = new HashMap<>();
      for (PartitionLag p : lag) {
        TopicPartition tp = new TopicPartition(topic, p.partition());
        long logStart = start.getOrDefault(tp, 0L);
        if (p.committed() > 0 && p.committed() < logStart) {
          gaps.add(new Gap(p.partition(), p.committed(), logStart - 1));
        }
        long next = Math.max(p.committed(), logStart);
        if (next < p.end()) {
          unread.put(tp, next);
        }
      }
      Optional<Duration> age =
          oldestUnreadTimestamp(unread)
              .map(t -> Duration.ofMillis(Math.max(0, now.toEpochMilli() - t)));
      return new Retention(
          ms < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ms)), age, List.copyOf(gaps));
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /**
   * Records committed to a topic so far: the sum of its end offsets, read committed.
   *
   * @param topic the topic
   * @return the sum of the end offsets
   * @throws IOException when Kafka does not answer in time
   */
  public long committedRecords(String topic) throws IOException {
    try {
      long sum = 0;
      for (long end : offsets(topic, partitions(topic), OffsetSpec.latest()).values()) {
        sum += end;
      }
      return sum;
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  private int partitions(String topic) throws IOException {
    return get(admin().describeTopics(List.of(topic)).allTopicNames())
        .get(topic)
        .partitions()
        .size();
  }

  private Map<TopicPartition, Long> offsets(String topic, int partitions, OffsetSpec spec)
      throws IOException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int i = 0; i < partitions; i++) {
      request.put(new TopicPartition(topic, i), spec);
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    get(admin().listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
        .forEach((tp, r) -> out.put(tp, r.offset()));
    return out;
  }

  /** The oldest timestamp among the records at the given offsets, empty when none is read. */
  private Optional<Long> oldestUnreadTimestamp(Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return Optional.empty();
    }
    if (reader == null) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-raw");
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
      p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "65536");
      p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
      reader = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    reader.assign(offsets.keySet());
    offsets.forEach(reader::seek);
    Map<TopicPartition, Long> first = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (first.size() < offsets.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (first.putIfAbsent(tp, r.timestamp()) == null) {
          reader.pause(List.of(tp));
        }
      }
    }
    reader.resume(reader.paused());
    return first.values().stream().min(Long::compare);
  }

  private <T> T get(KafkaFuture<T> future) throws IOException {
    try {
      return future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw failed(
          new IOException(
              "Kafka " + bootstrap + " did not answer within " + timeout.toMillis() + " ms"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw failed(
          new IOException(
              "Kafka "
                  + bootstrap
                  + ": "
                  + cause.getClass().getSimpleName()
                  + ": "
                  + cause.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private IOException failed(Exception e) {
    resetAdmin();
    return e instanceof IOException io
        ? io
        : new IOException("Kafka " + bootstrap + ": " + e.getMessage(), e);
  }

  private void resetAdmin() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
  }

  @Override
  public void close() {
    resetAdmin();
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
