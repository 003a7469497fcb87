package dev.floe.infra.process;

/** A supervised process did not come up: the message names it and carries the tail of its log. */
public final class ServiceStartException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message what did not come up and why, with the log tail
   */
  public ServiceStartException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what did not come up and why
   * @param cause the underlying failure
   */
  public ServiceStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
