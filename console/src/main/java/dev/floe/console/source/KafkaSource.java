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
  }
}
