package dev.floe.console.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.SettingsDocs;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/**
 * The mapping as Quarkus builds it (SmallRye Config with Bean Validation), without starting the
 * application: defaults (the addresses of a local ./floe up), key names, the messages of bad
 * values, and every key in docs/configuration.md's table.
 */
class ConsoleSettingsTest {

  private static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  static final List<String> KEYS =
      List.of(
          "producer-urls",
          "resolve-producers",
          "producer-api-token",
          "flink-rest-url",
          "kafka-bootstrap-servers",
          "job-group-id",
          "raw-topic",
          "clean-topic",
          "dlq-topic",
          "query-url",
          "query-api-token",
          "sample-interval",
          "flink-metrics-interval",
          "partitions-interval",
          "table-interval",
          "history",
          "idle-after",
          "source-timeout",
          "query-timeout",
          "api-token");

  private static ConsoleSettings load(Map<String, String> values) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(ConsoleSettings.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(values, "test", 500))
            .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
            .build();
    return config.getConfigMapping(ConsoleSettings.class);
  }

  @Test
  void defaultsAreTheAddressesOfALocalFloeUp() {
    ConsoleSettings c = load(Map.of());
    assertThat(c.producerUrls()).containsExactly("http://127.0.0.1:8080");
    assertThat(c.resolveProducers()).isFalse();
    assertThat(c.producerApiToken()).isEqualTo(Optional.empty());
    assertThat(c.flinkRestUrl()).isEqualTo("http://127.0.0.1:8089");
    assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.jobGroupId()).isEqualTo("floe-flink-job");
    assertThat(c.rawTopic()).isEqualTo("events.raw");
    assertThat(c.dlqTopic()).isEqualTo("events.dlq");
    assertThat(c.queryUrl()).isEqualTo("http://127.0.0.1:8081");
    assertThat(c.queryApiToken()).isEqualTo(Optional.empty());
    assertThat(c.sampleInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.flinkMetricsInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.partitionsInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.cleanTopic()).isEqualTo("events.clean");
    assertThat(c.tableInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.history()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.idleAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.sourceTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.apiToken()).isEqualTo(Optional.empty());
  }

  @Test
  void keys() {
    ConsoleSettings c =
        load(
            Map.ofEntries(
                Map.entry("floe.console.producer-urls", "http://p1:8080,http://p2:8080"),
                Map.entry("floe.console.resolve-producers", "true"),
                Map.entry("floe.console.flink-rest-url", "http://jm:8081"),
                Map.entry("floe.console.kafka-bootstrap-servers", "kafka:9092"),
                Map.entry("floe.console.query-url", "http://query:8081"),
                Map.entry("floe.console.sample-interval", "2s"),
                Map.entry("floe.console.table-interval", "30s"),
                Map.entry("floe.console.history", "1h"),
                Map.entry("floe.console.idle-after", "5m"),
                Map.entry("floe.console.source-timeout", "500ms"),
                Map.entry("floe.console.query-timeout", "10s"),
                Map.entry("floe.console.api-token", "secret")));
    assertThat(c.producerUrls()).containsExactly("http://p1:8080", "http://p2:8080");
    assertThat(c.resolveProducers()).isTrue();
    assertThat(c.flinkRestUrl()).isEqualTo("http://jm:8081");
    assertThat(c.kafkaBootstrapServers()).isEqualTo("kafka:9092");
    assertThat(c.queryUrl()).isEqualTo("http://query:8081");
    assertThat(c.sampleInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.tableInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.history()).isEqualTo(Duration.ofHours(1));
    assertThat(c.idleAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.sourceTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.apiToken()).contains("secret");
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> load(Map.of("floe.console.flink-rest-url", "jm:8081")))
        .hasMessageContaining("floe.console.flink-rest-url must be an http(s) base URL");
    assertThatThrownBy(() -> load(Map.of("floe.console.sample-interval", "10ms")))
        .hasMessageContaining("floe.console.sample-interval");
    assertThatThrownBy(
            () ->
                ConfigCheck.check(
                    load(
                        Map.of(
                            "floe.console.sample-interval", "1m",
                            "floe.console.history", "5m"))))
        .hasMessage(
            "floe.console.history (PT5M) must hold at least 10 samples of"
                + " floe.console.sample-interval (PT1M)");
    assertThatThrownBy(() -> ConfigCheck.check(load(Map.of("floe.console.api-token", " "))))
        .hasMessage("floe.console.api-token must not be blank; leave it unset instead");
  }

  private static final Map<String, String> PINNED = new java.util.TreeMap<>();

  static {
    PINNED.put("floe.console.producer-urls", "http://127.0.0.1:8080");
    PINNED.put("floe.console.resolve-producers", "false");
    PINNED.put("floe.console.producer-api-token", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.console.flink-rest-url", "http://127.0.0.1:8089");
    PINNED.put("floe.console.kafka-bootstrap-servers", "127.0.0.1:9092");
    PINNED.put("floe.console.job-group-id", "floe-flink-job");
    PINNED.put("floe.console.raw-topic", "events.raw");
    PINNED.put("floe.console.clean-topic", "events.clean");
    PINNED.put("floe.console.dlq-topic", "events.dlq");
    PINNED.put("floe.console.query-url", "http://127.0.0.1:8081");
    PINNED.put("floe.console.query-api-token", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.console.sample-interval", "2s");
    PINNED.put("floe.console.flink-metrics-interval", "15s");
    PINNED.put("floe.console.partitions-interval", "5m");
    PINNED.put("floe.console.table-interval", "30s");
    PINNED.put("floe.console.history", "10m");
    PINNED.put("floe.console.idle-after", "30s");
    PINNED.put("floe.console.source-timeout", "2s");
    PINNED.put("floe.console.query-timeout", "60s");
    PINNED.put("floe.console.api-token", SettingsDocs.NO_DEFAULT);
  }

  @Test
  void everyOptionHasItsDefaultPinnedAndIsInTheReadme() {
    SettingsDocs.assertConfigMapping("floe.console", ConsoleSettings.class, PINNED);
  }
}
