package dev.floe.console.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-second rates of counters between two samples. The first sample of a counter, and a counter
 * that went down (its process restarted), give no rate.
 */
final class Rates {

  private record Reading(double counter, long at) {}

  private final Map<String, Reading> previous = new ConcurrentHashMap<>();

  /**
   * Records a counter and puts its rate since the previous reading into {@code values}.
   *
   * @return the rate, null when there is none yet
   */
  Double rate(Map<String, Double> values, String name, double counter, long now) {
    Reading prev = previous.put(name, new Reading(counter, now));
    if (prev == null || counter < prev.counter() || now <= prev.at()) {
      return null;
    }
    double r = (counter - prev.counter()) * 1000.0 / (now - prev.at());
    values.put(name, r);
    return r;
  }

  /** Forgets the counters under a prefix (their source is down: no rate spans the outage). */
  void forget(String prefix) {
    previous.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Forgets every counter: a rate must not span a pause of the sampling. */
  void clear() {
    previous.clear();
  }
}
