package dev.floe.job.config;

/** A missing or bad setting; the message names the setting and where its value came from. */
public final class InvalidSettingException extends IllegalArgumentException {
  public InvalidSettingException(String message) {
    super(message);
  }
}
