package dev.floe.job.sink;

import dev.floe.contract.DeadLetter;
import dev.floe.job.config.JobSettings;
import dev.floe.job.model.Event;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/** The exactly-once Kafka sinks of events.clean and events.dlq. */
public final class KafkaSinks {
  private KafkaSinks() {}

  public static KafkaSink<Event> clean(JobSettings settings) {
    // the builder's schema names its topic, which the POOLING transaction strategy requires
    KafkaRecordSerializationSchema<Event> schema =
        KafkaRecordSerializationSchema.<Event>builder()
            .setTopic(settings.cleanTopic())
            // same key rule as events.raw: per-user order where there is a user
            .setKeySerializationSchema(new CleanKey())
            .setValueSerializationSchema(new CleanValue())
            .build();
    return builder(settings, "-clean", schema);
  }

  public static KafkaSink<DeadLetter> deadLetters(JobSettings settings) {
    KafkaRecordSerializationSchema<DeadLetter> schema =
        KafkaRecordSerializationSchema.<DeadLetter>builder()
            .setTopic(settings.dlqTopic())
            .setKeySerializationSchema(new DeadLetterKey())
            .setValueSerializationSchema(new DeadLetterValue())
            .build();
    return builder(settings, "-dlq", schema);
  }

  private static <T> KafkaSink<T> builder(
      JobSettings settings, String suffix, KafkaRecordSerializationSchema<T> schema) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(settings.transactionalIdPrefix() + suffix)
        // reuse a small pool of transactional producers instead of a new transactional id (and
        // an initTransactions round trip) per subtask and checkpoint: cheap second-level commits
        .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
        .setProperty(
            "transaction.timeout.ms", String.valueOf(settings.transactionTimeout().toMillis()))
        .setProperty("compression.type", "lz4")
        // read_committed readers see nothing before the checkpoint's commit, which flushes the
        // producer anyway: lingering costs no freshness and fills larger, cheaper batches
        .setProperty("linger.ms", "50")
        .setProperty("batch.size", String.valueOf(256 * 1024))
        .build();
  }

  // concrete, typed classes: the sink's lineage facet needs the value type, which Flink cannot
  // infer from a lambda

  static final class CleanKey implements SerializationSchema<Event> {
    @Override
    public byte[] serialize(Event e) {
      return (e.userId != null ? e.userId : e.eventId).getBytes(StandardCharsets.UTF_8);
    }
  }

  static final class CleanValue implements SerializationSchema<Event>, ResultTypeQueryable<Event> {
    /** Each sink writer gets its own copy of this schema, so its own writer. */
    private transient JsonCodec.CleanWriter writer;

    @Override
    public TypeInformation<Event> getProducedType() {
      return TypeInformation.of(Event.class);
    }

    @Override
    public byte[] serialize(Event e) {
      if (writer == null) {
        writer = new JsonCodec.CleanWriter();
      }
      return writer.write(e);
    }
  }

  static final class DeadLetterKey implements SerializationSchema<DeadLetter> {
    @Override
    public byte[] serialize(DeadLetter d) {
      return JsonCodec.deadLetterKey(d);
    }
  }

  static final class DeadLetterValue
      implements SerializationSchema<DeadLetter>, ResultTypeQueryable<DeadLetter> {
    @Override
    public TypeInformation<DeadLetter> getProducedType() {
      return TypeInformation.of(DeadLetter.class);
    }

    @Override
    public byte[] serialize(DeadLetter d) {
      return JsonCodec.deadLetter(d);
    }
  }
}
