package dev.floe.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.contract.LakeNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead-letter view behind {@code floe dlq}: the last N records of {@code events.dlq} (committed
 * ones only: the job writes them in Kafka transactions), oldest first. Reads without a consumer
 * group, so looking never moves anyone's offsets.
 */
public final class DeadLetterView {

  /** The dead-letter topic. */
  public static final String DLQ_TOPIC = LakeNames.DLQ_TOPIC;

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterView() {}

  /**
   * One dead letter as the job wrote it.
   *
   * @param reason the stable reason code, e.g. MALFORMED_JSON
   * @param detail the human-readable detail
   * @param payload the original value (text, or base64 per the record)
   * @param source topic/partition@offset it came from
   * @param deadLetteredAt when the job dead-lettered it
   * @param json the whole record
   */
  public record DeadLetter(
      String reason,
      String detail,
      String payload,
      String source,
      String deadLetteredAt,
      JsonNode json) {}

  /**
   * Reads the last {@code count} dead letters.
   *
   * @param bootstrap Kafka bootstrap servers
   * @param count how many at most
   * @return oldest first
   */
  public static List<DeadLetter> last(String bootstrap, int count) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(DLQ_TOPIC, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition tp : partitions) {
        consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - count));
      }
      Instant deadline = Instant.now().plusSeconds(10);
      while (!caughtUp(consumer, partitions, end) && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
    List<DeadLetter> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        records.subList(Math.max(0, records.size() - count), records.size())) {
      out.add(parse(r.value()));
    }
    return out;
  }

  /**
   * Whether a read_committed consumer has read its partitions to the given end offsets.
   *
   * @param consumer the consumer
   * @param partitions its partitions
   * @param end the end offsets to reach
   * @return true when every partition's position reached its end
   */
  public static boolean caughtUp(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    for (TopicPartition tp : partitions) {
      // with read_committed, transaction markers sit below the end offset: position reaches it
      if (consumer.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }

  /**
   * One record of {@code events.dlq}.
   *
   * @param value the record value
   * @return the dead letter
   */
  public static DeadLetter parse(byte[] value) {
    try {
      JsonNode n = JSON.readTree(value);
      return new DeadLetter(
          n.path("reason").asText(),
          n.path("detail").asText(),
          n.path("payload").asText(),
          n.path("topic").asText()
              + "/"
              + n.path("partition").asText()
              + "@"
              + n.path("offset").asText(),
          n.path("deadLetteredAt").asText(),
          n);
    } catch (java.io.IOException e) {
      String text = new String(value, StandardCharsets.UTF_8);
      return new DeadLetter("UNREADABLE", e.getMessage(), text, "?", "?", null);
    }
  }

  /**
   * One dead letter as the terminal shows it.
   *
   * @param d the dead letter
   * @return two lines
   */
  public static String render(DeadLetter d) {
    return d.deadLetteredAt()
        + "  "
        + d.reason()
        + "  from "
        + d.source()
        + "\n    detail:  "
        + d.detail()
        + "\n    payload: "
        + d.payload();
  }
}
