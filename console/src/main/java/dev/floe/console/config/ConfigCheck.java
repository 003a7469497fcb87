package dev.floe.console.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Rules that span several keys, which Bean Validation on single values cannot express. */
@ApplicationScoped
public class ConfigCheck {

  void onStart(@Observes StartupEvent event, ConsoleSettings config) {
    check(config);
  }

  /**
   * Throws with a message naming the conflicting keys.
   *
   * @param config the settings
   */
  public static void check(ConsoleSettings config) {
    if (config.history().compareTo(config.sampleInterval().multipliedBy(10)) < 0) {
      throw new IllegalStateException(
          "floe.console.history ("
              + config.history()
              + ") must hold at least 10 samples of floe.console.sample-interval ("
              + config.sampleInterval()
              + ")");
    }
    blank("floe.console.api-token", config.apiToken().orElse(null));
    blank("floe.console.producer-api-token", config.producerApiToken().orElse(null));
    blank("floe.console.query-api-token", config.queryApiToken().orElse(null));
  }

  private static void blank(String key, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalStateException(key + " must not be blank; leave it unset instead");
    }
  }
}
