package dev.floe.producer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.SettingsDocs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProducerSettingsTest {

  @Test
  void defaultsArePinned() {
    ProducerSettings s = TestConfigs.settings(Map.of());
    assertThat(s.topic()).isEqualTo("events.raw");
    assertThat(s.ackTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.maxBatchSize()).isEqualTo(1000);
    assertThat(s.replicaId()).isEmpty();
    assertThat(s.apiToken()).isEmpty();
    assertThat(s.kafka().maxBlock()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.kafka().healthTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.generator().enabled()).isFalse();
    assertThat(s.generator().rate()).isEqualTo(50.0);
    assertThat(s.generator().users()).isEqualTo(1000);
  }

  @Test
  void keysMapToTheirSettings() {
    ProducerSettings s =
        TestConfigs.settings(
            Map.of(
                "floe.producer.topic", "t1",
                "floe.producer.ack-timeout", "750ms",
                "floe.producer.max-batch-size", "10",
                "floe.producer.replica-id", "replica-2",
                "floe.producer.api-token", "0123456789",
                "floe.producer.generator.enabled", "true",
                "floe.producer.generator.rate", "12.5"));
    assertThat(s.topic()).isEqualTo("t1");
    assertThat(s.ackTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(s.maxBatchSize()).isEqualTo(10);
    assertThat(s.replicaId()).contains("replica-2");
    assertThat(s.apiToken()).contains("0123456789");
    assertThat(s.generator().enabled()).isTrue();
    assertThat(s.generator().rate()).isEqualTo(12.5);
  }

  @ParameterizedTest
  @CsvSource({
    "floe.producer.generator.rate, -5, floe.producer.generator.rate must be at least 0.1",
    "floe.producer.generator.rate, 1000001, must be at most 100000",
    "floe.producer.max-batch-size, 0, floe.producer.max-batch-size must be at least 1",
    "floe.producer.ack-timeout, 10ms, floe.producer.ack-timeout must be at least 100ms",
    "floe.producer.kafka.delivery-timeout, 500ms, must be at least 1s",
    "floe.producer.replica-id, bad id!, must be 1 to 64 letters",
    "floe.producer.api-token, short, must be 8 to 512 characters",
    "floe.producer.topic, ' ', must not be blank",
  })
  void badValueFailsNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> TestConfigs.settings(Map.of(key, value)))
        .hasMessageContaining(key)
        .hasMessageContaining(message);
  }

  @Test
  void unparsableValueFailsNamingTheKey() {
    assertThatThrownBy(() -> TestConfigs.settings(Map.of("floe.producer.generator.rate", "fast")))
        .hasMessageContaining("floe.producer.generator.rate");
  }

  private static final java.util.Map<String, String> PINNED = new java.util.TreeMap<>();

  static {
    PINNED.put("floe.producer.replica-id", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.producer.topic", "events.raw");
    PINNED.put("floe.producer.ack-timeout", "5s");
    PINNED.put("floe.producer.max-batch-size", "1000");
    PINNED.put("floe.producer.api-token", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.producer.kafka.max-block", "1s");
    PINNED.put("floe.producer.kafka.delivery-timeout", "30s");
    PINNED.put("floe.producer.kafka.health-timeout", "2s");
    PINNED.put("floe.producer.generator.enabled", "false");
    PINNED.put("floe.producer.generator.rate", "50");
    PINNED.put("floe.producer.generator.users", "1000");
  }

  @org.junit.jupiter.api.Test
  void everyOptionHasItsDefaultPinnedAndIsInTheReadme() {
    SettingsDocs.assertConfigMapping("floe.producer", ProducerSettings.class, PINNED);
  }
}
