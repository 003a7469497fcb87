package dev.floe.job.model;

/** A raw record that could not be parsed or validated, with the reason, bound for events.dlq. */
public class DeadLetter {
  /** Stable reason code, one of {@link dev.floe.job.pipeline.Reason}. */
  public String reason;

  /** Human-readable detail of the reason. */
  public String detail;

  /** The original value: its text when it is UTF-8, otherwise base64. */
  public String payload;

  /** "utf-8", "base64" or "none" (tombstone). */
  public String payloadEncoding;

  public String topic;
  public int partition;
  public long offset;

  /** Kafka record timestamp, epoch milliseconds. */
  public long timestamp;

  /** When the job dead-lettered it, epoch milliseconds. */
  public long deadLetteredAt;

  public DeadLetter() {}
}
