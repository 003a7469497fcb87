package dev.floe.job.sink;

import dev.floe.job.model.Event;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/** Where the clean events go besides Kafka; injected into the job (Iceberg in production). */
@FunctionalInterface
public interface LakeSink {
  void attach(DataStream<Event> events, int parallelism);

  /**
   * A step before both clean sinks that may send events to {@link
   * dev.floe.job.pipeline.DeadLetters#DEAD_LETTERS} (the lake cannot take them); null for none.
   */
  default ProcessFunction<Event, Event> resolver() {
    return null;
  }
}
