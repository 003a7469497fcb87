package dev.floe.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.DeadLetter;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import dev.floe.job.pipeline.DeadLetters;
import dev.floe.job.pipeline.DeduplicateEvents;
import dev.floe.job.pipeline.EventIds;
import dev.floe.job.sink.LakeSink;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link FloeJob} on Flink's MiniCluster with an in-memory source and collecting sinks, without
 * Kafka or Iceberg: dedup by event id, the dead letters of the parser and of the schema step merged
 * into one stream, and the operator uids that checkpoints depend on.
 */
class FloeJobMiniClusterTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** What the collecting sinks received, by sink name. */
  private static final Map<String, Queue<Object>> RECEIVED = new ConcurrentHashMap<>();

  private static final String OCCURRED = "\"occurredAt\":\"2026-03-01T10:00:00Z\"";

  private static byte[] event(String id, String type) {
    return ("{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\"," + OCCURRED + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void dedupDeadLettersAndUidsWithoutKafka() throws Exception {
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String c = UUID.randomUUID().toString();
    String conflict = UUID.randomUUID().toString();
    List<byte[]> values =
        List.of(
            event(a, "page_view"),
            event(b, "click"),
            event(a, "page_view"), // a retry: dropped
            "{not json".getBytes(StandardCharsets.UTF_8),
            ("{\"eventId\":\"" + UUID.randomUUID() + "\"," + OCCURRED + "}")
                .getBytes(StandardCharsets.UTF_8), // no type
            event(c.toUpperCase(), "login"), // the same id in another spelling is the same id
            event(c, "login"),
            event(conflict, "conflict")); // refused by the schema step
    String run = UUID.randomUUID().toString();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new FloeJob(
            new DataGeneratorSource<>(
                new Records(values), values.size(), TypeInformation.of(RawRecord.class)),
            new Collecting<>(run + "/clean"),
            new Collecting<>(run + "/dlq"),
            new InMemoryLake(run + "/lake"),
            new RefuseConflicts(),
            Duration.ofHours(1),
            DeduplicateEvents.DEFAULT_FILTER_BYTES)
        .build(env, 2);

    Set<String> uids = new HashSet<>();
    for (Transformation<?> t : env.getTransformations()) {
      for (Transformation<?> p : t.getTransitivePredecessors()) {
        if (p.getUid() != null) {
          uids.add(p.getUid());
        }
      }
    }
    // checkpoints find state by these: renaming one loses its state on restore
    assertThat(uids)
        .contains(
            "events-raw-source",
            "parse-events",
            "deduplicate",
            "stamp-ingested-at",
            "evolve-table-schema",
            "measure-freshness",
            "events-dlq-sink",
            "events-clean-sink",
            "test-lake-sink");

    env.execute("floe-job-in-memory");

    assertThat(ids(run + "/clean")).containsExactlyInAnyOrder(a, b, c);
    assertThat(ids(run + "/lake")).containsExactlyInAnyOrder(a, b, c);
    List<String> reasons = new ArrayList<>();
    for (Object o : RECEIVED.get(run + "/dlq")) {
      reasons.add(((DeadLetter) o).reason);
    }
    assertThat(reasons)
        .containsExactlyInAnyOrder("MALFORMED_JSON", "MISSING_TYPE", "SCHEMA_CONFLICT");
  }

  private static List<String> ids(String sink) {
    List<String> ids = new ArrayList<>();
    for (Object o : RECEIVED.getOrDefault(sink, new ConcurrentLinkedQueue<>())) {
      ids.add(((Event) o).eventId);
    }
    return ids;
  }

  /** Raw records as the Kafka source hands them over, the id read ahead. */
  private static final class Records implements GeneratorFunction<Long, RawRecord> {
    private final List<byte[]> values;

    Records(List<byte[]> values) {
      this.values = new ArrayList<>(values);
    }

    @Override
    public RawRecord map(Long index) {
      int i = index.intValue();
      RawRecord record = new RawRecord("events.raw", i % 2, i, 1_000L + i, values.get(i));
      EventIds.assign(record);
      return record;
    }
  }

  /** A sink that keeps what it gets in {@link #RECEIVED}. */
  private static final class Collecting<T> implements Sink<T> {
    private final String name;

    Collecting(String name) {
      this.name = name;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      Queue<Object> queue = RECEIVED.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          queue.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** The lake: a collecting sink. */
  private static final class InMemoryLake implements LakeSink, Serializable {
    private final String name;

    InMemoryLake(String name) {
      this.name = name;
    }

    @Override
    public void attach(DataStream<Event> events, int parallelism) {
      events.sinkTo(new Collecting<>(name)).name("test-lake-sink").uid("test-lake-sink");
    }
  }

  /** The schema step of the test lake: refuses events of type "conflict". */
  private static final class RefuseConflicts extends ProcessFunction<Event, Event> {
    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) {
      if (event.type.equals("conflict")) {
        DeadLetter letter = new DeadLetter();
        letter.reason = "SCHEMA_CONFLICT";
        letter.detail = "refused by the test lake";
        letter.payload = event.eventId;
        ctx.output(DeadLetters.DEAD_LETTERS, letter);
      } else {
        out.collect(event);
      }
    }
  }
}
