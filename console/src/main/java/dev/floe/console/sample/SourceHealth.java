package dev.floe.console.sample;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether each source answered its last read, with the error when it did not; mirrored on the
 * {@code floe.console.source.up} gauge.
 */
final class SourceHealth {

  private final Map<String, Overview.SourceStatus> last = new ConcurrentHashMap<>();
  private final ConsoleGauges gauges;

  SourceHealth(ConsoleGauges gauges) {
    this.gauges = gauges;
  }

  void up(String name, String kind, String address, long now) {
    gauges.sourceUp(name, true);
    last.put(name, new Overview.SourceStatus(name, kind, address, true, null, now));
  }

  void down(String name, String kind, String address, Exception e, long now) {
    String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    gauges.sourceUp(name, false);
    last.put(name, new Overview.SourceStatus(name, kind, address, false, error, now));
  }

  /** Forgets the producer replicas that are gone (scaled down). */
  void keepProducers(Collection<String> replicas) {
    last.keySet().removeIf(k -> k.startsWith("producer") && !replicas.contains(k));
  }

  /** The source's last read, or "not read yet". */
  Overview.SourceStatus status(String name, String kind, String address) {
    Overview.SourceStatus s = last.get(name);
    return s != null
        ? s
        : new Overview.SourceStatus(name, kind, address, false, "not read yet", null);
  }
}
