package dev.floe.query.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Rules that span several keys, which Bean Validation on single values cannot express. */
@ApplicationScoped
public class ConfigCheck {

  void onStart(@Observes StartupEvent event, QuerySettings config) {
    check(config);
  }

  /** Throws with a message naming the conflicting keys. */
  public static void check(QuerySettings config) {
    if (config.defaultRowLimit() > config.maxRowLimit()) {
      throw new IllegalStateException(
          "floe.query.default-row-limit ("
              + config.defaultRowLimit()
              + ") must not exceed floe.query.max-row-limit ("
              + config.maxRowLimit()
              + ")");
    }
    if (config.apiToken().isPresent() && config.apiToken().get().isBlank()) {
      throw new IllegalStateException(
          "floe.query.api-token must not be blank; leave it unset to turn access control off");
    }
  }
}
