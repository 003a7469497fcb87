package dev.floe.catalog.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Rules that span several keys, which Bean Validation on single values cannot express. */
@ApplicationScoped
public class ConfigCheck {

  void onStart(
      @Observes StartupEvent event,
      CatalogSettings config,
      @ConfigProperty(name = "quarkus.http.host") String host) {
    check(config, host);
  }

  /**
   * Throws with a message naming the setting that is missing or wrong.
   *
   * @param config the settings
   * @param host the address the service listens on
   */
  public static void check(CatalogSettings config, String host) {
    blank(config.apiToken().orElse(null), "floe.catalog.api-token");
    blank(config.adminToken().orElse(null), "floe.catalog.admin-token");
    if (config.apiToken().isPresent()
        && config.adminToken().isPresent()
        && config.apiToken().get().equals(config.adminToken().get())) {
      throw new IllegalStateException(
          "floe.catalog.admin-token must differ from floe.catalog.api-token: a reader would be"
              + " able to write");
    }
    if (!isLoopback(host) && config.apiToken().isEmpty() && !config.openReadsOffLoopback()) {
      throw new IllegalStateException(
          "the catalog-service listens on "
              + host
              + " (beyond loopback) without a token: set floe.catalog.api-token"
              + " (FLOE_CATALOG_API_TOKEN)");
    }
  }

  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // literal addresses only: a host name is not resolved at start
      return !Character.isLetter(host.charAt(0)) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void blank(String value, String key) {
    if (value != null && value.isBlank()) {
      throw new IllegalStateException(key + " must not be blank; leave it unset instead");
    }
  }
}
