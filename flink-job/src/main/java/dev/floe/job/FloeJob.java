package dev.floe.job;

import dev.floe.contract.DeadLetter;
import dev.floe.job.metrics.MeasureFreshness;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import dev.floe.job.pipeline.DeadLetters;
import dev.floe.job.pipeline.DeduplicateEvents;
import dev.floe.job.pipeline.EventKey;
import dev.floe.job.pipeline.ParseEvents;
import dev.floe.job.pipeline.StampIngestedAt;
import dev.floe.job.sink.LakeSink;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/**
 * The pipeline, with its source and sinks injected.
 *
 * <pre>
 *  raw source ─keyBy(id)─► parse-events ─► deduplicate ─► stamp-ingested-at ─► evolve-table-schema
 *  (bytes, id read ahead)   (contract)      (keyed state)                         (if the lake has one)
 *                               │                                                      │
 *                               └──────────── dead letters ◄── schema conflicts ───────┘
 *                                              └─► dlq sink (Kafka, EOS)
 *  ─► measure-freshness ─┬─► clean sink (Kafka, EOS)
 *                        └─► lake sink (Iceberg)
 * </pre>
 *
 * The shuffle carries the raw bytes keyed by the id's 128 bits; every step after it is chained in
 * the same task, the dedup step reading its input as the same keyed stream. Every operator has a
 * fixed uid: checkpoints are matched to operators by uid, so renaming one loses its state on
 * restore.
 */
public final class FloeJob {
  private final Source<RawRecord, ?, ?> source;
  private final Sink<Event> cleanSink;
  private final Sink<DeadLetter> deadLetterSink;
  private final LakeSink lakeSink;
  private final ProcessFunction<Event, Event> schemaStep;
  private final Duration dedupTtl;
  private final long dedupFilterBytes;

  /**
   * The job.
   *
   * @param source the raw records
   * @param cleanSink events.clean
   * @param deadLetterSink events.dlq
   * @param lakeSink the table
   * @param schemaStep fits events to the table's schema and dead-letters conflicts ({@link
   *     dev.floe.job.pipeline.EvolveTableSchema}); null when the lake sink needs none
   * @param dedupTtl how long an id is remembered
   * @param dedupFilterBytes heap per dedup subtask for the filter of ids seen ({@link
   *     DeduplicateEvents})
   */
  public FloeJob(
      Source<RawRecord, ?, ?> source,
      Sink<Event> cleanSink,
      Sink<DeadLetter> deadLetterSink,
      LakeSink lakeSink,
      ProcessFunction<Event, Event> schemaStep,
      Duration dedupTtl,
      long dedupFilterBytes) {
    this.source = source;
    this.cleanSink = cleanSink;
    this.deadLetterSink = deadLetterSink;
    this.lakeSink = lakeSink;
    this.schemaStep = schemaStep;
    this.dedupTtl = dedupTtl;
    this.dedupFilterBytes = dedupFilterBytes;
  }

  public void build(StreamExecutionEnvironment env, int parallelism) {
    env.setParallelism(parallelism);
    DataStream<RawRecord> raw =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events-raw-source")
            .uid("events-raw-source");

    SingleOutputStreamOperator<Event> parsed =
        raw.keyBy(EventKey.RAW, EventKey.TYPE)
            .process(new ParseEvents())
            .name("parse-events")
            .uid("parse-events");
    DataStream<DeadLetter> deadLetters = parsed.getSideOutput(DeadLetters.DEAD_LETTERS);
    DataStream<Event> clean =
        DataStreamUtils.reinterpretAsKeyedStream(parsed, EventKey.EVENT, EventKey.TYPE)
            .process(new DeduplicateEvents(dedupTtl, dedupFilterBytes))
            .name("deduplicate")
            .uid("deduplicate")
            .map(new StampIngestedAt(Clock.systemUTC()))
            .name("stamp-ingested-at")
            .uid("stamp-ingested-at");

    if (schemaStep != null) {
      SingleOutputStreamOperator<Event> fitted =
          clean.process(schemaStep).name("evolve-table-schema").uid("evolve-table-schema");
      deadLetters = deadLetters.union(fitted.getSideOutput(DeadLetters.DEAD_LETTERS));
      clean = fitted;
    }
    deadLetters.sinkTo(deadLetterSink).name("events-dlq-sink").uid("events-dlq-sink");

    clean =
        clean.process(new MeasureFreshness()).name("measure-freshness").uid("measure-freshness");
    clean.sinkTo(cleanSink).name("events-clean-sink").uid("events-clean-sink");
    lakeSink.attach(clean, parallelism);
  }
}
