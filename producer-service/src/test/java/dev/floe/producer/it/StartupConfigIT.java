package dev.floe.producer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A bad setting stops the packaged service at start with a message naming the key. */
class StartupConfigIT {

  @Test
  void badRateStopsTheStartNamingTheKey() throws Exception {
    try (PackagedService service =
        PackagedService.start(
            Map.of(
                "FLOE_PRODUCER_GENERATOR_RATE", "-5",
                "FLOE_PRODUCER_ACK_TIMEOUT", "5s",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"))) {
      boolean exited =
          service.process().waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
      assertThat(exited).as("the service must not start").isTrue();
      assertThat(service.process().exitValue()).isNotZero();
      assertThat(service.output()).contains("floe.producer.generator.rate");
    }
  }
}
