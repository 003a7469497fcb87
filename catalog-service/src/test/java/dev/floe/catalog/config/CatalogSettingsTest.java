package dev.floe.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.SettingsDocs;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/**
 * The mapping as Quarkus builds it (SmallRye Config with Bean Validation), without starting the
 * service: defaults, key names, the messages of bad values and the start checks.
 */
class CatalogSettingsTest {

  private static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  private static final Map<String, String> REQUIRED =
      Map.of(
          "floe.catalog.uri", "jdbc:postgresql://localhost:5433/floe_catalog",
          "floe.catalog.warehouse", "file:///var/floe/warehouse");

  private static CatalogSettings load(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(REQUIRED);
    all.putAll(values);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(CatalogSettings.class)
            .withSources(new PropertiesConfigSource(all, "test", 500))
            .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
            .build();
    return config.getConfigMapping(CatalogSettings.class);
  }

  @Test
  void defaults() {
    CatalogSettings config = load(Map.of());

    assertThat(config.name()).isEqualTo("floe");
    assertThat(config.user()).isEqualTo("floe");
    assertThat(config.password()).isEmpty();
    assertThat(config.apiToken()).isEmpty();
    assertThat(config.adminToken()).isEmpty();
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> load(Map.of("floe.catalog.uri", "http://postgres:5432")))
        .hasMessageContaining("floe.catalog.uri must be a PostgreSQL JDBC URL");
    assertThatThrownBy(() -> load(Map.of("floe.catalog.warehouse", "s3://bucket/x")))
        .hasMessageContaining("floe.catalog.warehouse must be a file:// or gs:// URI");
  }

  /** The listen and publish addresses as the service reads them. */
  private static java.util.function.Function<String, java.util.Optional<String>> addresses(
      String host, String publish) {
    return key ->
        switch (key) {
          case "quarkus.http.host" -> java.util.Optional.of(host);
          case "floe.publish-address" -> java.util.Optional.ofNullable(publish);
          default -> java.util.Optional.empty();
        };
  }

  @Test
  void listeningBeyondLoopbackNeedsAToken() {
    assertThatThrownBy(() -> ConfigCheck.check(load(Map.of()), addresses("0.0.0.0", null)))
        .hasMessageContaining("catalog-service refuses to start")
        .hasMessageContaining("FLOE_CATALOG_API_TOKEN");
    ConfigCheck.check(load(Map.of("floe.catalog.api-token", "t")), addresses("0.0.0.0", null));
    ConfigCheck.check(load(Map.of()), addresses("127.0.0.1", null));
    // in a container: the published address decides
    ConfigCheck.check(load(Map.of()), addresses("0.0.0.0", "127.0.0.1"));
    assertThatThrownBy(() -> ConfigCheck.check(load(Map.of()), addresses("0.0.0.0", "192.0.2.10")))
        .hasMessageContaining("FLOE_CATALOG_API_TOKEN");
  }

  @Test
  void theAdminTokenMustDifferFromTheReadToken() {
    assertThatThrownBy(
            () ->
                ConfigCheck.check(
                    load(Map.of("floe.catalog.api-token", "t", "floe.catalog.admin-token", "t")),
                    addresses("127.0.0.1", null)))
        .hasMessageContaining("floe.catalog.admin-token must differ from floe.catalog.api-token");
  }

  private static final Map<String, String> PINNED = new TreeMap<>();

  static {
    PINNED.put("floe.catalog.name", "floe");
    PINNED.put("floe.catalog.uri", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.catalog.user", "floe");
    PINNED.put("floe.catalog.password", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.catalog.warehouse", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.catalog.api-token", SettingsDocs.NO_DEFAULT);
    PINNED.put("floe.catalog.admin-token", SettingsDocs.NO_DEFAULT);
  }

  @Test
  void everyOptionHasItsDefaultPinnedAndIsInTheReadme() {
    SettingsDocs.assertConfigMapping("floe.catalog", CatalogSettings.class, PINNED);
    Map<String, String> gcs = new TreeMap<>();
    gcs.put("floe.gcs.project-id", SettingsDocs.NO_DEFAULT);
    gcs.put("floe.gcs.credentials-file", SettingsDocs.NO_DEFAULT);
    gcs.put("floe.gcs.endpoint", SettingsDocs.NO_DEFAULT);
    SettingsDocs.assertConfigMapping("floe.gcs", GcsSettings.class, gcs);
  }
}
