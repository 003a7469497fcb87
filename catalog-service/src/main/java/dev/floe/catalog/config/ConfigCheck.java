package dev.floe.catalog.config;

import dev.floe.contract.Exposure;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;

/** Rules that span several keys, which Bean Validation on single values cannot express. */
@ApplicationScoped
public class ConfigCheck {

  void onStart(@Observes StartupEvent event, CatalogSettings config) {
    check(config, key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
  }

  /**
   * Throws with a message naming the setting that is missing or wrong.
   *
   * @param config the settings
   * @param keys reads a configuration key (the listen and publish addresses)
   */
  public static void check(CatalogSettings config, Function<String, Optional<String>> keys) {
    blank(config.apiToken().orElse(null), "floe.catalog.api-token");
    blank(config.adminToken().orElse(null), "floe.catalog.admin-token");
    if (config.apiToken().isPresent()
        && config.adminToken().isPresent()
        && config.apiToken().get().equals(config.adminToken().get())) {
      throw new IllegalStateException(
          "floe.catalog.admin-token must differ from floe.catalog.api-token: a reader would be"
              + " able to write");
    }
    // Closed by default: beyond loopback, no start without the token (the same rule in every
    // service)
    Exposure.requireServiceToken(
        "catalog-service", keys, "FLOE_CATALOG_API_TOKEN", config.apiToken());
  }

  private static void blank(String value, String key) {
    if (value != null && value.isBlank()) {
      throw new IllegalStateException(key + " must not be blank; leave it unset instead");
    }
  }
}
