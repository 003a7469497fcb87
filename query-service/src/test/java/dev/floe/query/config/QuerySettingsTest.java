package dev.floe.query.config;

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
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/**
 * The mapping as Quarkus builds it (SmallRye Config with Bean Validation), without starting the
 * application: defaults, key names and the messages of bad values.
 */
class QuerySettingsTest {

  private static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  private static QuerySettings load(Map<String, String> values) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(QuerySettings.class)
            // Quarkus' own converter, which reads "30s" as well as ISO-8601 "PT30S".
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(values, "test", 500))
            .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
            .build();
    return config.getConfigMapping(QuerySettings.class);
  }

  @Test
  void defaults() {
    QuerySettings config = load(Map.of());

    assertThat(config.trino().url()).isEqualTo("jdbc:trino://localhost:8088");
    assertThat(config.trino().user()).isEqualTo("floe_query");
    assertThat(config.trino().password()).isEmpty();
    assertThat(config.trino().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.eventsTable()).isEqualTo("iceberg.lake.events");
    assertThat(config.defaultRowLimit()).isEqualTo(1000);
    assertThat(config.maxRowLimit()).isEqualTo(10000);
    assertThat(config.timeLimit()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.apiToken()).isEqualTo(Optional.empty());
  }

  @Test
  void keys() {
    QuerySettings config =
        load(
            Map.of(
                "floe.query.trino.url", "jdbc:trino://trino:8080",
                "floe.query.trino.user", "reader",
                "floe.query.trino.request-timeout", "2s",
                "floe.query.events-table", "iceberg.other.events",
                "floe.query.default-row-limit", "10",
                "floe.query.max-row-limit", "20",
                "floe.query.time-limit", "5s",
                "floe.query.api-token", "secret"));

    assertThat(config.trino().url()).isEqualTo("jdbc:trino://trino:8080");
    assertThat(config.trino().user()).isEqualTo("reader");
    assertThat(config.trino().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.eventsTable()).isEqualTo("iceberg.other.events");
    assertThat(config.defaultRowLimit()).isEqualTo(10);
    assertThat(config.maxRowLimit()).isEqualTo(20);
    assertThat(config.timeLimit()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.apiToken()).contains("secret");
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> load(Map.of("floe.query.max-row-limit", "0")))
        .hasMessageContaining("floe.query.max-row-limit must be greater than or equal to 1");
    assertThatThrownBy(() -> load(Map.of("floe.query.trino.url", "http://trino:8080")))
        .hasMessageContaining(
            "floe.query.trino.url must be a Trino JDBC URL (jdbc:trino://host:port)");
    assertThatThrownBy(() -> load(Map.of("floe.query.events-table", "events; DROP TABLE x")))
        .hasMessageContaining(
            "floe.query.events-table must be catalog.schema.table (unquoted identifiers)");
    assertThatThrownBy(() -> load(Map.of("floe.query.time-limit", "10ms")))
        .hasMessageContaining("floe.query.time-limit");
  }

  @Test
  void aDefaultLimitAboveTheMaximumNamesBothKeys() {
    QuerySettings config =
        load(Map.of("floe.query.default-row-limit", "50", "floe.query.max-row-limit", "20"));

    assertThatThrownBy(() -> ConfigCheck.check(config))
        .hasMessage(
            "floe.query.default-row-limit (50) must not exceed floe.query.max-row-limit (20)");
  }

  private static final java.util.Map<String, String> PINNED = new java.util.TreeMap<>();

  static {
    PINNED.put("floe.query.trino.url", "jdbc:trino://localhost:8088");
    PINNED.put("floe.query.trino.user", "floe_query");
    PINNED.put("floe.query.trino.password", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.query.trino.request-timeout", "5s");
    PINNED.put("floe.query.events-table", "iceberg.lake.events");
    PINNED.put("floe.query.default-row-limit", "1000");
    PINNED.put("floe.query.max-row-limit", "10000");
    PINNED.put("floe.query.time-limit", "30s");
    PINNED.put("floe.query.api-token", SettingsDocs.NO_DEFAULT);
  }

  @org.junit.jupiter.api.Test
  void everyOptionHasItsDefaultPinnedAndIsInTheReadme() {
    SettingsDocs.assertConfigMapping("floe.query", QuerySettings.class, PINNED);
  }
}
