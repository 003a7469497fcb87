package dev.floe.job.sink;

import dev.floe.job.config.JobSettings;
import dev.floe.job.model.DeadLetter;
import dev.floe.job.model.Event;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The exactly-once Kafka sinks of events.clean and events.dlq. */
public final class KafkaSinks {
  private KafkaSinks() {}

  public static KafkaSink<Event> clean(JobSettings settings) {
    String topic = settings.cleanTopic();
    KafkaRecordSerializationSchema<Event> schema =
        (event, context, timestamp) ->
            new ProducerRecord<>(
                topic,
                null,
                event.occurredAt.toEpochMilli(),
                // same key rule as events.raw: per-user order where there is a user
                (event.userId != null ? event.userId : event.eventId)
                    .getBytes(StandardCharsets.UTF_8),
                JsonCodec.clean(event));
    return builder(settings, "-clean", schema);
  }

  public static KafkaSink<DeadLetter> deadLetters(JobSettings settings) {
    String topic = settings.dlqTopic();
    KafkaRecordSerializationSchema<DeadLetter> schema =
        (letter, context, timestamp) ->
            new ProducerRecord<>(
                topic,
                (letter.topic + "/" + letter.partition + "/" + letter.offset)
                    .getBytes(StandardCharsets.UTF_8),
                JsonCodec.deadLetter(letter));
    return builder(settings, "-dlq", schema);
  }

  private static <T> KafkaSink<T> builder(
      JobSettings settings, String suffix, KafkaRecordSerializationSchema<T> schema) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(settings.transactionalIdPrefix() + suffix)
        .setProperty(
            "transaction.timeout.ms", String.valueOf(settings.transactionTimeout().toMillis()))
        .setProperty("compression.type", "lz4")
        .setProperty("linger.ms", "5")
        .build();
  }
}
