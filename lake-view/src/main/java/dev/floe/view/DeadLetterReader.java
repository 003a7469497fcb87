package dev.floe.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.DeadLetter;
import java.io.IOException;
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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead-letter topic, read without a consumer group (looking never moves anyone's offsets) and
 * read committed (the job writes dead letters in Kafka transactions: aborted ones are not dead
 * letters). Each record is read through the one {@link DeadLetter} definition. Either the last
 * records at once ({@link #last}) or everything from the start, a little more on every {@link
 * #poll}. Not thread-safe.
 */
public final class DeadLetterReader implements AutoCloseable {

  /** The reason of a record of the topic that is not a dead letter's JSON. */
  public static final String UNREADABLE = "UNREADABLE";

  private final String bootstrap;
  private final String topic;
  private final String clientId;
  private final Duration timeout;
  private KafkaConsumer<byte[], byte[]> consumer;

  /**
   * A dead letter as the views show it.
   *
   * @param reason the reason code ({@link DeadLetter.Reason}, or {@link #UNREADABLE})
   * @param detail the explanation
   * @param payload the original record (text or base64), null when it had none
   * @param payloadEncoding utf-8, base64 or none
   * @param from topic/partition@offset of the original record
   * @param deadLetteredAt when the job routed it (ISO-8601)
   * @param dlqOffset its offset in the dead-letter topic
   */
  public record Letter(
      String reason,
      String detail,
      String payload,
      String payloadEncoding,
      String from,
      String deadLetteredAt,
      long dlqOffset) {

    /**
     * One record of the dead-letter topic.
     *
     * @param value the record's value
     * @param timestamp its Kafka timestamp, epoch ms
     * @param dlqOffset its offset
     * @return the letter; {@link #UNREADABLE} with the text when the value is not JSON
     */
    public static Letter of(byte[] value, long timestamp, long dlqOffset) {
      try {
        JsonNode n = Http.JSON.readTree(value == null ? new byte[0] : value);
        if (n == null || !n.isObject()) {
          throw new IOException("not a JSON object");
        }
        DeadLetter d = DeadLetter.fromJson(n, timestamp);
        return new Letter(
            d.reason,
            d.detail,
            d.payload,
            d.payloadEncoding,
            d.from(),
            Instant.ofEpochMilli(d.deadLetteredAt).toString(),
            dlqOffset);
      } catch (IOException | RuntimeException e) {
        return new Letter(
            UNREADABLE,
            "the dead letter itself is not JSON: " + e.getMessage(),
            new String(value == null ? new byte[0] : value, StandardCharsets.UTF_8),
            DeadLetter.UTF_8,
            "",
            Instant.ofEpochMilli(timestamp).toString(),
            dlqOffset);
      }
    }

    /**
     * A record of the dead-letter topic.
     *
     * @param r the record
     * @return the letter
     */
    public static Letter of(ConsumerRecord<byte[], byte[]> r) {
      return of(r.value(), r.timestamp(), r.offset());
    }
  }

  /**
   * A reader of one dead-letter topic.
   *
   * @param bootstrap bootstrap servers
   * @param topic the dead-letter topic
   * @param clientId the client id the broker sees
   * @param timeout deadline of each request
   */
  public DeadLetterReader(String bootstrap, String topic, String clientId, Duration timeout) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.clientId = clientId;
    this.timeout = timeout;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
      p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
      consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return consumer;
  }

  private List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> parts = new ArrayList<>();
    c.partitionsFor(topic, timeout)
        .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    c.assign(parts);
    return parts;
  }

  /**
   * What the topic got since the last call (from its start on the first): what one short poll
   * brings, up to 20 rounds, so a call stays quick however long the topic is.
   *
   * @return the new dead letters, oldest first per partition
   * @throws IOException when the topic cannot be read
   */
  public List<Letter> poll() throws IOException {
    try {
      if (consumer == null) {
        KafkaConsumer<byte[], byte[]> c = consumer();
        try {
          c.seekToBeginning(assignAll(c));
        } catch (RuntimeException e) {
          close();
          throw e;
        }
      }
      List<Letter> out = new ArrayList<>();
      for (int round = 0; round < 20; round++) {
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(Duration.ofMillis(round == 0 ? 50 : 0));
        if (records.isEmpty()) {
          break;
        }
        records.forEach(r -> out.add(Letter.of(r)));
      }
      return out;
    } catch (RuntimeException e) {
      throw new IOException("Kafka " + bootstrap + " (" + topic + "): " + e.getMessage(), e);
    }
  }

  /**
   * The last {@code count} dead letters of the topic, oldest first (by record time): every
   * partition is read to its end, for at most ten seconds. The job writes in transactions, so the
   * topic's offsets hold a commit marker after each transaction's records (and aborted records a
   * read_committed consumer skips): the read starts twice {@code count} offsets before the end and
   * goes further back, four times as far each time, until it has {@code count} letters or reached
   * the start of every partition.
   *
   * @param count how many at most
   * @return the letters
   */
  public List<Letter> last(int count) {
    KafkaConsumer<byte[], byte[]> c = consumer();
    List<TopicPartition> partitions = assignAll(c);
    Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
    Map<TopicPartition, Long> end = c.endOffsets(partitions);
    Instant deadline = Instant.now().plusSeconds(10);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (long span = Math.max(2L * count, 16); ; span *= 4) {
      boolean fromTheStart = true;
      for (TopicPartition tp : partitions) {
        long from = Math.max(begin.get(tp), end.get(tp) - span);
        fromTheStart &= from == begin.get(tp);
        c.seek(tp, from);
      }
      records.clear();
      while (!caughtUp(c, partitions, end) && Instant.now().isBefore(deadline)) {
        c.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      if (records.size() >= count || fromTheStart || !Instant.now().isBefore(deadline)) {
        break;
      }
    }
    records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
    return records.subList(Math.max(0, records.size() - count), records.size()).stream()
        .map(Letter::of)
        .toList();
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
      KafkaConsumer<?, ?> consumer,
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

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close();
      consumer = null;
    }
  }
}
