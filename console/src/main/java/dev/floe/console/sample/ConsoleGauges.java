package dev.floe.console.sample;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's figures as gauges on {@code /q/metrics}, for Prometheus: the table's counts, dead
 * letters by reason and whether each source answered. Each gauge reads the latest value set under
 * its key (NaN before the first); a gauge is registered the first time its key is set, so a new
 * reason or replica gets its own series.
 */
final class ConsoleGauges {

  private final MeterRegistry registry;
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  ConsoleGauges(MeterRegistry registry) {
    this.registry = registry;
    gauge("floe.console.table.rows", "rows of the table", "table.rows", null, null);
    gauge(
        "floe.console.table.data.files", "data files of the table", "table.dataFiles", null, null);
    gauge("floe.console.table.snapshots", "snapshots of the table", "table.snapshots", null, null);
  }

  /** The table's counts, as sampled ({@code rows}, {@code dataFiles}, {@code snapshots}). */
  void table(Map<String, Double> counts) {
    counts.forEach((k, v) -> values.put("table." + k, v));
  }

  void deadLetters(String reason, long count) {
    values.put("dlq." + reason, (double) count);
    gauge(
        "floe.console.dead.letters",
        "dead letters in the dead-letter topic, by reason",
        "dlq." + reason,
        "reason",
        reason);
  }

  void sourceUp(String source, boolean up) {
    values.put("source." + source, up ? 1.0 : 0.0);
    gauge(
        "floe.console.source.up",
        "whether a source answered its last read (1) or not (0)",
        "source." + source,
        "source",
        source);
  }

  private void gauge(String name, String description, String key, String tag, String value) {
    if (registry == null || !registered.add(key)) {
      return;
    }
    Gauge.Builder<Map<String, Double>> b =
        Gauge.builder(name, values, g -> g.getOrDefault(key, Double.NaN)).description(description);
    if (tag != null) {
      b = b.tag(tag, value);
    }
    b.register(registry);
  }
}
