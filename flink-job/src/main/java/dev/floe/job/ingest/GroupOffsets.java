package dev.floe.job.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the job's consumer group stands on the raw topic: its committed offsets (the group commits
 * on every completed checkpoint), and each partition's log start and end (read_committed).
 *
 * @param partitions the topic's partition count
 * @param committed the group's committed offset per partition (partitions without one are absent)
 * @param logStart each partition's first offset still in Kafka
 * @param end each partition's last stable offset
 */
public record GroupOffsets(
    int partitions,
    Map<TopicPartition, Long> committed,
    Map<TopicPartition, Long> logStart,
    Map<TopicPartition, Long> end) {

  /**
   * Records of the topic the group has not committed yet: from the log start of a partition without
   * a committed offset.
   */
  public long lag() {
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      long from = committed.getOrDefault(e.getKey(), logStart.getOrDefault(e.getKey(), 0L));
      lag += Math.max(0, e.getValue() - from);
    }
    return lag;
  }

  /**
   * Reads them from Kafka.
   *
   * @param bootstrap bootstrap servers
   * @param topic the raw topic
   * @param groupId the job's consumer group
   * @return the offsets
   * @throws Exception when Kafka does not answer within 15 s
   */
  public static GroupOffsets read(String bootstrap, String topic, String groupId) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return read(admin, topic, groupId);
    }
  }

  /**
   * An admin client for {@link #read(Admin, String, String)}, with the timeouts it expects.
   *
   * @param bootstrap bootstrap servers
   * @return the client; the caller closes it
   */
  public static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  /**
   * Reads them through a client the caller keeps (a poller reads them again and again).
   *
   * @param admin the client
   * @param topic the raw topic
   * @param groupId the job's consumer group
   * @return the offsets
   * @throws Exception when Kafka does not answer within 15 s
   */
  public static GroupOffsets read(Admin admin, String topic, String groupId) throws Exception {
    Map<TopicPartition, Long> committed = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata()
            .get(15, TimeUnit.SECONDS);
    offsets.forEach(
        (tp, o) -> {
          if (o != null && tp.topic().equals(topic)) {
            committed.put(tp, o.offset());
          }
        });
    List<TopicPartition> all =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(15, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    return new GroupOffsets(
        all.size(),
        committed,
        offsets(admin, all, OffsetSpec.earliest()),
        offsets(admin, all, OffsetSpec.latest()));
  }

  private static Map<TopicPartition, Long> offsets(
      Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> result = new HashMap<>();
    admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(15, TimeUnit.SECONDS)
        .forEach((tp, r) -> result.put(tp, r.offset()));
    return result;
  }
}
