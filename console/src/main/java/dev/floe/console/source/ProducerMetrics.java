package dev.floe.console.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ingest counters of one producer-service replica, read from its Prometheus text ({@code
 * /q/metrics}). Accepted counts the events a client posted and Kafka acknowledged plus the
 * generator's acknowledged ones; failed counts both kinds that Kafka did not acknowledge; rejected
 * counts the events refused with 400 (all reasons).
 *
 * @param accepted accepted events since the replica started
 * @param rejected rejected events since the replica started
 * @param failed failed events since the replica started
 */
public record ProducerMetrics(double accepted, double rejected, double failed) {

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+([-+0-9.eE]+|NaN)(\\s+\\d+)?$");

  /**
   * Sums the counters of the Prometheus text format.
   *
   * @param text what /q/metrics answered
   * @return the counters
   */
  public static ProducerMetrics parse(String text) {
    double accepted = 0;
    double rejected = 0;
    double failed = 0;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith("floe_producer_")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      double v = Double.parseDouble(m.group(3));
      if (Double.isNaN(v)) {
        continue;
      }
      String labels = m.group(2) == null ? "" : m.group(2);
      switch (m.group(1)) {
        case "floe_producer_events_accepted_total" -> accepted += v;
        case "floe_producer_events_rejected_total" -> rejected += v;
        case "floe_producer_events_failed_total" -> failed += v;
        case "floe_producer_generator_events_total" -> {
          if (labels.contains("outcome=\"sent\"")) {
            accepted += v;
          } else if (labels.contains("outcome=\"failed\"")) {
            failed += v;
          }
        }
        default -> {
          // another metric of the service
        }
      }
    }
    return new ProducerMetrics(accepted, rejected, failed);
  }
}
