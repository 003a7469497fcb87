package dev.floe.producer.ingest;

import java.util.List;

/** The request body cannot be accepted; nothing of it has been sent to Kafka. */
public class RejectedInputException extends RuntimeException {
  private final int status;
  private final String error;
  private final List<Violation> violations;
  private final int eventCount;

  public RejectedInputException(
      int status, String error, String detail, List<Violation> violations, int eventCount) {
    super(detail);
    this.status = status;
    this.error = error;
    this.violations = List.copyOf(violations);
    this.eventCount = eventCount;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public List<Violation> violations() {
    return violations;
  }

  /** Events the body held (at least 1), for the rejected-events metric. */
  public int eventCount() {
    return eventCount;
  }
}
