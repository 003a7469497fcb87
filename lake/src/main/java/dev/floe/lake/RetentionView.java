package dev.floe.lake;

import dev.floe.contract.LakeNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How close the job is to losing events to Kafka's retention: the raw topic's retention, the age of
 * the oldest record the job has not committed yet (per partition, from the job group's committed
 * offset), and the ranges already deleted unread (a committed offset below the partition's log
 * start). {@code ./floe status} warns once the oldest unread record is past {@link #WARN_FRACTION}
 * of the retention.
 *
 * @param retention the topic's {@code retention.ms}, empty when unlimited
 * @param oldestUnreadAge age of the oldest record the job has not committed, empty when caught up
 * @param gaps ranges deleted before the job read them, one line each
 */
public record RetentionView(
    Optional<Duration> retention, Optional<Duration> oldestUnreadAge, List<String> gaps) {

  /** Past this share of the retention, the oldest unread record gets a warning. */
  public static final double WARN_FRACTION = 0.5;

  /** What the job does with a gap: shown by the status, so the behaviour is never a surprise. */
  public static final String ON_GAP =
      "the job dead-letters the deleted range as RETENTION_GAP (./floe dlq) when it starts and"
          + " reads on; a gap that opens while it runs stops its source until it is restarted";

  /**
   * Whether the oldest unread record is past the warning share of the retention.
   *
   * @return true when the job should catch up before Kafka deletes what it has not read
   */
  public boolean nearRetention() {
    return retention.isPresent()
        && oldestUnreadAge.isPresent()
        && oldestUnreadAge.get().toMillis() > retention.get().toMillis() * WARN_FRACTION;
  }

  /**
   * The lines of the status view, without indentation.
   *
   * @return "label text" lines
   */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    String unread =
        oldestUnreadAge.map(a -> "oldest unread record " + human(a) + " old").orElse("caught up");
    String limit = retention.map(RetentionView::human).orElse("unlimited");
    if (nearRetention()) {
      out.add(
          "retention        WARNING: "
              + unread
              + ", past half of "
              + LakeNames.RAW_TOPIC
              + "'s retention ("
              + limit
              + "): the job must catch up before Kafka deletes what it has not read");
    } else {
      out.add("retention        " + limit + "; " + unread);
    }
    for (String gap : gaps) {
      out.add("RETENTION GAP    " + gap);
    }
    out.add("on a gap         " + ON_GAP);
    return out;
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return s / 60 + " min";
    }
    if (s < 2 * 86400) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }
    return String.format(Locale.ROOT, "%.1f d", s / 86400.0);
  }

  /**
   * Reads the view from Kafka.
   *
   * @param bootstrap bootstrap servers
   * @param groupId the job's consumer group
   * @param now the time now
   * @return the view
   * @throws Exception when Kafka does not answer
   */
  public static RetentionView read(String bootstrap, String groupId, Instant now) throws Exception {
    String topic = LakeNames.RAW_TOPIC;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    Optional<Duration> retention;
    Map<TopicPartition, Long> start = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> committed;
    try (Admin admin = Admin.create(p)) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
      long ms = Long.parseLong(config.get("retention.ms").value());
      retention = ms < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ms));
      committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        earliest.put(new TopicPartition(topic, i), OffsetSpec.earliest());
        latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      ListOffsetsOptions options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      admin
          .listOffsets(earliest, options)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, r) -> start.put(tp, r.offset()));
      admin
          .listOffsets(latest, options)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, r) -> end.put(tp, r.offset()));
    }
    List<String> gaps = new ArrayList<>();
    Map<TopicPartition, Long> unread = new HashMap<>();
    for (TopicPartition tp : start.keySet()) {
      OffsetAndMetadata c = committed.get(tp);
      long from = c == null ? start.get(tp) : c.offset();
      if (c != null && from < start.get(tp)) {
        gaps.add(
            String.format(
                Locale.ROOT,
                "partition %d: offsets %d-%d deleted by retention before the job read them",
                tp.partition(),
                from,
                start.get(tp) - 1));
      }
      long next = Math.max(from, start.get(tp));
      if (next < end.get(tp)) {
        unread.put(tp, next);
      }
    }
    gaps.sort(String::compareTo);
    return new RetentionView(retention, oldestUnread(bootstrap, unread, now), gaps);
  }

  /** The age of the oldest of the records at the given offsets. */
  private static Optional<Duration> oldestUnread(
      String bootstrap, Map<TopicPartition, Long> offsets, Instant now) {
    if (offsets.isEmpty()) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(offsets.keySet());
      offsets.forEach(consumer::seek);
      Map<TopicPartition, Long> first = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (first.size() < offsets.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (first.putIfAbsent(tp, r.timestamp()) == null) {
            consumer.pause(List.of(tp));
          }
        }
      }
      return first.values().stream()
          .min(Long::compare)
          .map(t -> Duration.between(Instant.ofEpochMilli(t), now))
          .map(d -> d.isNegative() ? Duration.ZERO : d);
    }
  }
}
