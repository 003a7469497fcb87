package dev.floe.job;

import dev.floe.contract.DeadLetter;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import dev.floe.job.pipeline.DeadLetters;
import dev.floe.job.pipeline.DeduplicateFunction;
import dev.floe.job.sink.LakeSink;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/**
 * The pipeline, with its source and sinks injected.
 *
 * <pre>
 *  raw source ──keyBy(eventId bits)──► parse/validate, dedup, enrich ─► schema-resolve ─┬─► clean sink (Kafka, EOS)
 *  (bytes + id read ahead)             (keyed state, TTL)  │              (lake's, if any)└─► lake sink (Iceberg)
 *                                      dead letters ◄──────┴──────────────── conflicts
 *                                       └─► dlq sink (Kafka, EOS)
 * </pre>
 *
 * Every operator has a fixed uid: checkpoints are matched to operators by uid, so renaming one
 * loses its state on restore.
 */
public final class FloeJob {
  private final Source<RawRecord, ?, ?> source;
  private final Sink<Event> cleanSink;
  private final Sink<DeadLetter> deadLetterSink;
  private final LakeSink lakeSink;
  private final Duration dedupTtl;

  public FloeJob(
      Source<RawRecord, ?, ?> source,
      Sink<Event> cleanSink,
      Sink<DeadLetter> deadLetterSink,
      LakeSink lakeSink,
      Duration dedupTtl) {
    this.source = source;
    this.cleanSink = cleanSink;
    this.deadLetterSink = deadLetterSink;
    this.lakeSink = lakeSink;
    this.dedupTtl = dedupTtl;
  }

  public void build(StreamExecutionEnvironment env, int parallelism) {
    env.setParallelism(parallelism);
    DataStream<RawRecord> raw =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events-raw-source")
            .uid("events-raw-source");

    // the shuffle carries raw bytes keyed by the id's 128 bits (read ahead by the source's
    // deserializer); parsing, dedup and enrich happen in one operator after it
    SingleOutputStreamOperator<Event> deduplicated =
        raw.keyBy(DeduplicateFunction.KEY, DeduplicateFunction.KEY_TYPE)
            .process(new DeduplicateFunction(dedupTtl))
            .name("parse-deduplicate")
            .uid("parse-deduplicate");
    DataStream<DeadLetter> deadLetters = deduplicated.getSideOutput(DeadLetters.DEAD_LETTERS);
    DataStream<Event> clean = deduplicated;

    ProcessFunction<Event, Event> resolver = lakeSink.resolver();
    if (resolver != null) {
      SingleOutputStreamOperator<Event> resolved =
          clean.process(resolver).name("schema-resolve").uid("schema-resolve");
      deadLetters = deadLetters.union(resolved.getSideOutput(DeadLetters.DEAD_LETTERS));
      clean = resolved;
    }
    deadLetters.sinkTo(deadLetterSink).name("events-dlq-sink").uid("events-dlq-sink");

    clean.sinkTo(cleanSink).name("events-clean-sink").uid("events-clean-sink");
    lakeSink.attach(clean, parallelism);
  }
}
