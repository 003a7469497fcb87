package dev.floe.console.api;

import dev.floe.console.config.ConsoleSettings;
import dev.floe.console.sample.Sampler;
import dev.floe.contract.BearerToken;
import dev.floe.contract.Exposure;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Optional access control: when {@code floe.console.api-token} is set, the API ({@code /api/*}) and
 * Quarkus' endpoints but health ({@code /q/*}: OpenAPI, Swagger UI) need {@code Authorization:
 * Bearer <token>}. The page and its scripts stay public: they hold no data, and the page has to
 * load to ask for the token. A Vert.x filter, so it also guards what JAX-RS does not serve.
 */
@ApplicationScoped
public class ApiTokenFilter {

  void register(@Observes Filters filters, ConsoleSettings config, Sampler sampler) {
    // Closed by default: beyond loopback, no start without the token (the same rule in every
    // service)
    Exposure.requireServiceToken(
        "console",
        key -> ConfigProvider.getConfig().getOptionalValue(key, String.class),
        "FLOE_CONSOLE_API_TOKEN",
        config.apiToken());
    // a Prometheus scrape is someone watching: the gauges it reads must stay fresh (after the
    // token check, so only an allowed scrape counts)
    filters.register(
        rc -> {
          if (rc.normalizedPath().equals("/q/metrics")) {
            sampler.touch();
          }
          rc.next();
        },
        500);
    config
        .apiToken()
        .filter(token -> !token.isBlank())
        .ifPresent(
            token ->
                filters.register(
                    BearerToken.handler(
                        token,
                        "floe.console.api-token",
                        r -> new ApiError(r.error(), r.message()),
                        path -> !guarded(path),
                        false),
                    1_000));
  }

  /** The API and Quarkus' endpoints but health need the token; the page and its scripts do not. */
  static boolean guarded(String path) {
    if (path.equals(BearerToken.HEALTH_PATH) || path.startsWith(BearerToken.HEALTH_PATH + "/")) {
      return false;
    }
    return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/q/");
  }
}
