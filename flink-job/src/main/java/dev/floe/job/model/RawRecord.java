package dev.floe.job.model;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A record of the raw topic as it came from Kafka, before any parsing, with the 128 bits of its
 * eventId read ahead ({@link dev.floe.job.pipeline.EventIds}): the job shuffles these by id and
 * parses them after the shuffle. Serialized by {@link RawRecordSerializer} (a fixed binary layout,
 * no reflection), the only type that crosses the shuffle.
 */
@TypeInfo(RawRecordSerializer.TypeInfoFactory.class)
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;

  /** Kafka record timestamp, epoch milliseconds. */
  public long timestamp;

  /** The record value; null for a tombstone. */
  public byte[] value;

  /** eventId bits (most significant half), or a spreading value when it has none. */
  public long idHi;

  /** eventId bits (least significant half), or a spreading value when it has none. */
  public long idLo;

  public RawRecord() {}

  public RawRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.value = value;
  }
}
