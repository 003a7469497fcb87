package dev.floe.console.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka, read-only: the consumer lag of the job's group on the raw topic, per partition (committed
 * offsets against the ends, read committed), and the dead-letter topic read from its start by a
 * consumer of no group (it commits nothing), counting every dead letter by reason and keeping the
 * newest ones. Used by one thread (the sampler).
 */
public final class KafkaSource implements AutoCloseable {

  /** Dead letters kept for the page, newest first. */
  static final int LATEST = 20;

  private final String bootstrap;
  private final String groupId;
  private final String rawTopic;
  private final String dlqTopic;
  private final String cleanTopic;
  private final Duration timeout;
  private Admin admin;
  private KafkaConsumer<byte[], byte[]> dlq;
  private KafkaConsumer<byte[], byte[]> raw;
  private final Map<String, Long> byReason = new TreeMap<>();
  private final Deque<DeadLetter> latest = new ArrayDeque<>();
  private long total;

  /**
   * A dead letter as the page shows it.
   *
   * @param reason the reason code
   * @param detail the explanation
   * @param payload the original record (text or base64)
   * @param payloadEncoding utf-8, base64 or none
   * @param from topic/partition@offset of the original record
   * @param deadLetteredAt when the job routed it
   * @param dlqOffset its offset in the dead-letter topic
   */
  public record DeadLetter(
      String reason,
      String detail,
      String payload,
      String payloadEncoding,
      String from,
      String deadLetteredAt,
      long dlqOffset) {}

  /**
   * The dead letters so far.
   *
   * @param total dead letters in the topic
   * @param byReason count per reason
   * @param latest the newest ones, newest first
   */
  public record DeadLetters(long total, Map<String, Long> byReason, List<DeadLetter> latest) {}

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
    this.bootstrap = bootstrap;
    this.groupId = groupId;
    this.rawTopic = rawTopic;
    this.dlqTopic = dlqTopic;
    this.cleanTopic = cleanTopic;
    this.timeout = timeout;
  }

  private Admin admin() {
    if (admin == null) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(AdminClientConfig.CLIENT_ID_CONFIG, "floe-console");
      int ms = (int) timeout.toMillis();
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
      p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
      admin = Admin.create(p);
    }
    return admin;
  }

  /**
   * The lag of the job's group per partition of the raw topic.
   *
   * @return one entry per partition, in partition order
   * @throws IOException when Kafka does not answer in time
   */
  public List<PartitionLag> lag() throws IOException {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          get(admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
      int partitions =
          get(admin().describeTopics(List.of(rawTopic)).allTopicNames())
              .get(rawTopic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        request.put(new TopicPartition(rawTopic, i), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      get(admin().listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
          .forEach((tp, r) -> ends.put(tp, r.offset()));
      List<PartitionLag> out = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        TopicPartition tp = new TopicPartition(rawTopic, i);
        long end = ends.getOrDefault(tp, 0L);
        OffsetAndMetadata c = committed.get(tp);
        long at = c == null ? 0 : c.offset();
        out.add(new PartitionLag(i, end, at, Math.max(0, end - at)));
      }
      return out;
    } catch (RuntimeException e) {
      reset();
      throw new IOException("Kafka " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws IOException {
    try {
      return future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "Kafka " + bootstrap + " did not answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(
          "Kafka "
              + bootstrap
              + ": "
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /** Past this share of the retention, the oldest unread record gets a warning. */
  public static final double RETENTION_WARN_FRACTION = 0.5;

  /**
   * How close the job is to Kafka's retention on the raw topic.
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
   * Reads the raw topic's retention, each partition's log start against the group's committed
   * offset (a gap when below), and the timestamp of the oldest record not committed yet.
   *
   * @param lag the lag just read ({@link #lag})
   * @param now the time now, epoch ms
   * @return the retention view
   * @throws IOException when Kafka does not answer in time
   */
  public Retention retention(List<PartitionLag> lag, long now) throws IOException {
    try {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, rawTopic);
      long ms =
          Long.parseLong(
              get(admin().describeConfigs(List.of(topic)).all())
                  .get(topic)
                  .get("retention.ms")
                  .value());
      Long retentionMs = ms < 0 ? null : ms;
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      lag.forEach(
          p -> request.put(new TopicPartition(rawTopic, p.partition()), OffsetSpec.earliest()));
      Map<TopicPartition, Long> start = new HashMap<>();
      get(admin().listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
          .forEach((tp, r) -> start.put(tp, r.offset()));
      List<String> gaps = new ArrayList<>();
      Map<TopicPartition, Long> unread = new HashMap<>();
      for (PartitionLag p : lag) {
        TopicPartition tp = new TopicPartition(rawTopic, p.partition());
        long logStart = start.getOrDefault(tp, 0L);
        if (p.committed() > 0 && p.committed() < logStart) {
          gaps.add(
              "partition "
                  + p.partition()
                  + ": offsets "
                  + p.committed()
                  + "-"
                  + (logStart - 1)
                  + " deleted before the job read them");
        }
        long next = Math.max(p.committed(), logStart);
        if (next < p.end()) {
          unread.put(tp, next);
        }
      }
      Long oldest = oldestUnreadTimestamp(unread);
      Long age = oldest == null ? null : Math.max(0, now - oldest);
      boolean warning =
          !gaps.isEmpty()
              || (retentionMs != null
                  && age != null
                  && age > retentionMs * RETENTION_WARN_FRACTION);
      return new Retention(retentionMs, age, gaps, warning);
    } catch (RuntimeException e) {
      reset();
      throw new IOException("Kafka " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  /** The oldest timestamp among the records at the given offsets, or null when none is read. */
  private Long oldestUnreadTimestamp(Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return null;
    }
    if (raw == null) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, "floe-console-raw");
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
      p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "65536");
      p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
      raw = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    raw.assign(offsets.keySet());
    offsets.forEach(raw::seek);
    Map<TopicPartition, Long> first = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (first.size() < offsets.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : raw.poll(Duration.ofMillis(100))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (first.putIfAbsent(tp, r.timestamp()) == null) {
          raw.pause(List.of(tp));
        }
      }
    }
    raw.resume(raw.paused());
    return first.values().stream().min(Long::compare).orElse(null);
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
    try {
      int partitions =
          get(admin().describeTopics(List.of(cleanTopic)).allTopicNames())
              .get(cleanTopic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        request.put(new TopicPartition(cleanTopic, i), OffsetSpec.latest());
      }
      long sum = 0;
      for (var r :
          get(admin()
                  .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                  .all())
              .values()) {
        sum += r.offset();
      }
      return sum;
    } catch (RuntimeException e) {
      reset();
      throw new IOException("Kafka " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads what the dead-letter topic got since the last call (from its start on the first).
   *
   * @return every dead letter counted so far
   * @throws IOException when the topic cannot be read
   */
  public DeadLetters deadLetters() throws IOException {
    try {
      if (dlq == null) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "floe-console-dlq");
        // the job writes dead letters in transactions: aborted ones are not dead letters
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
          List<TopicPartition> parts = new ArrayList<>();
          c.partitionsFor(dlqTopic, timeout)
              .forEach(i -> parts.add(new TopicPartition(dlqTopic, i.partition())));
          c.assign(parts);
          c.seekToBeginning(parts);
        } catch (RuntimeException e) {
          c.close();
          throw e;
        }
        dlq = c;
      }
      for (int round = 0; round < 20; round++) {
        ConsumerRecords<byte[], byte[]> records = dlq.poll(Duration.ofMillis(round == 0 ? 50 : 0));
        if (records.isEmpty()) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          add(r);
        }
      }
      return new DeadLetters(total, new TreeMap<>(byReason), List.copyOf(latest));
    } catch (RuntimeException e) {
      throw new IOException("Kafka " + bootstrap + " (" + dlqTopic + "): " + e.getMessage(), e);
    }
  }

  private void add(ConsumerRecord<byte[], byte[]> r) {
    total++;
    DeadLetter d;
    try {
      JsonNode n = Http.JSON.readTree(r.value());
      d =
          new DeadLetter(
              n.path("reason").asText("UNKNOWN"),
              n.path("detail").asText(""),
              n.path("payload").asText(""),
              n.path("payloadEncoding").asText("utf-8"),
              n.path("topic").asText("")
                  + "/"
                  + n.path("partition").asText("")
                  + "@"
                  + n.path("offset").asText(""),
              n.path("deadLetteredAt").asText(Instant.ofEpochMilli(r.timestamp()).toString()),
              r.offset());
    } catch (IOException | RuntimeException e) {
      d =
          new DeadLetter(
              "UNREADABLE",
              "the dead letter itself is not JSON: " + e.getMessage(),
              new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8),
              "utf-8",
              "",
              Instant.ofEpochMilli(r.timestamp()).toString(),
              r.offset());
    }
    byReason.merge(d.reason(), 1L, Long::sum);
    latest.addFirst(d);
    while (latest.size() > LATEST) {
      latest.removeLast();
    }
  }

  private void reset() {
    // a fresh admin after a failure: its metadata may point at a broker that went away
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
  }

  @Override
  public void close() {
    reset();
    if (dlq != null) {
      dlq.close();
      dlq = null;
    }
    if (raw != null) {
      raw.close();
      raw = null;
    }
  }
}
