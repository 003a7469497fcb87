package dev.floe.console.source;

import java.time.Duration;

/**
 * The console's HTTP client: the lake view's GETs with a deadline and readable failures, for the
 * sources that are not the lake's own readers (the producers' metrics, the query-service pass).
 */
public final class Http extends dev.floe.view.Http {

  /**
   * A client whose every request has this deadline.
   *
   * @param timeout the deadline
   */
  public Http(Duration timeout) {
    super(timeout);
  }
}
