package dev.floe.job.pipeline;

/**
 * Why a raw record was dead-lettered; the name is the stable {@code reason} field in events.dlq.
 * The contract's reasons have the names of {@link dev.floe.contract.EventContract.Problem}.
 */
public enum Reason {
  EMPTY_PAYLOAD,
  NOT_UTF8,
  MALFORMED_JSON,
  NOT_AN_OBJECT,
  MISSING_EVENT_ID,
  INVALID_EVENT_ID,
  MISSING_TYPE,
  INVALID_TYPE,
  INVALID_USER_ID,
  MISSING_OCCURRED_AT,
  INVALID_OCCURRED_AT,
  INVALID_PROPERTIES,
  INVALID_SOURCE,
  INVALID_PRODUCED_AT,
  /**
   * Extra top-level fields past the contract's bounds: too many, a name too long or mapping to a
   * contract column or to another field's column, a value too long.
   */
  INVALID_EXTRA_FIELD,
  /** An extra field whose value does not fit its table column, or maps to a contract column. */
  SCHEMA_CONFLICT,
  /**
   * Not a record but a range of them: offsets Kafka's retention deleted before the job read them
   * (the dead letter names the partition, the first offset and the range in its detail).
   */
  RETENTION_GAP
}
