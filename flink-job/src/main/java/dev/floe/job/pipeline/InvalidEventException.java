package dev.floe.job.pipeline;

import dev.floe.contract.DeadLetter.Reason;

/** A raw record that does not satisfy the event contract; carries the reason for events.dlq. */
public final class InvalidEventException extends Exception {
  private final Reason reason;

  public InvalidEventException(Reason reason, String detail) {
    super(detail, null, false, false); // no stack trace: this is an expected, per-record outcome
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
