package dev.floe.console.sample;

import dev.floe.console.config.ConsoleSettings;
import dev.floe.console.source.TableSource;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table through the query-service: counts from {@code "events$snapshots"} every table-interval,
 * files per partition from {@code "events$partitions"} every partitions-interval, and the
 * maintenance timeline. Sampled from one thread.
 */
final class TableSampler {

  private final TableSource table;
  private final String address;
  private final long partitionsEveryMs;
  private final Ring ring;
  private final SourceHealth health;
  private final ConsoleGauges gauges;
  private final MaintenanceTimeline timeline = new MaintenanceTimeline();
  private long partitionsAt;
  private List<TableSource.PartitionFiles> partitions = List.of();
  private volatile Overview.Table now;

  TableSampler(
      TableSource table,
      ConsoleSettings config,
      Ring ring,
      SourceHealth health,
      ConsoleGauges gauges) {
    this.table = table;
    this.address = config.queryUrl() + "/query";
    this.partitionsEveryMs = config.partitionsInterval().toMillis();
    this.ring = ring;
    this.health = health;
    this.gauges = gauges;
  }

  /** Reads the table; a failed read is a gap in its series and leaves the table as last read. */
  void sample(long at) {
    try {
      TableSource.TableSample s = table.sample();
      if (at - partitionsAt >= partitionsEveryMs) {
        partitions = table.partitions();
        partitionsAt = at;
      }
      Map<String, Double> values = new LinkedHashMap<>();
      Ring.put(values, "rows", s.rows());
      Ring.put(values, "dataFiles", s.dataFiles());
      values.put("snapshots", (double) s.snapshots());
      ring.add(at, values);
      gauges.table(values);
      timeline.observe(s, at);
      now =
          new Overview.Table(
              at,
              s.rows(),
              s.dataFiles(),
              s.snapshots(),
              s.newestAt() == null ? null : Instant.ofEpochMilli(s.newestAt()).toString(),
              partitions,
              partitionsAt == 0 ? null : partitionsAt,
              timeline.events());
      health.up("table", "table", address, at);
    } catch (IOException | RuntimeException e) {
      ring.add(at, Map.of());
      health.down("table", "table", address, e, at);
    }
  }

  /** The table as last read, null before the first read. */
  Overview.Table now() {
    return now;
  }

  /** The table's time series. */
  Series series(int points, long since) {
    return ring.series(points, since);
  }
}
