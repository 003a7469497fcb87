package dev.floe.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.console.source.ProducerMetrics;
import org.junit.jupiter.api.Test;

class ProducerMetricsTest {

  @Test
  void acceptedAndFailedCountPostedAndGeneratedEventsAndRejectedSumsEveryReason() {
    String text =
        """
        # HELP floe_producer_events_accepted_total events accepted
        # TYPE floe_producer_events_accepted_total counter
        floe_producer_events_accepted_total 12.0
        floe_producer_events_rejected_total{reason="validation_failed"} 3.0
        floe_producer_events_rejected_total{reason="malformed_json"} 2.0
        floe_producer_events_failed_total 1.0
        floe_producer_generator_events_total{outcome="sent"} 100.0
        floe_producer_generator_events_total{outcome="failed"} 4.0
        floe_producer_kafka_send_latency_seconds_count 7.0
        http_server_requests_seconds_count{method="POST",uri="/events"} 9.0
        """;
    assertThat(ProducerMetrics.parse(text)).isEqualTo(new ProducerMetrics(112, 5, 5));
  }

  @Test
  void aReplicaThatCountedNothingYetHasZeros() {
    assertThat(ProducerMetrics.parse("# nothing\n")).isEqualTo(new ProducerMetrics(0, 0, 0));
  }
}
