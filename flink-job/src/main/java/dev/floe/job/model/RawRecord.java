package dev.floe.job.model;

/** A record of the raw topic as it came from Kafka, before any parsing. */
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;

  /** Kafka record timestamp, epoch milliseconds. */
  public long timestamp;

  /** The record value; null for a tombstone. */
  public byte[] value;

  public RawRecord() {}

  public RawRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.value = value;
  }
}
