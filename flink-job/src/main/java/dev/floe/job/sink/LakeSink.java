package dev.floe.job.sink;

import dev.floe.job.model.Event;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the clean events go besides Kafka; injected into the job (Iceberg in production). */
@FunctionalInterface
public interface LakeSink {
  void attach(DataStream<Event> events, int parallelism);
}
