package dev.floe.query.api;

import dev.floe.contract.BearerToken;
import dev.floe.contract.Exposure;
import dev.floe.query.config.QuerySettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Optional access control: when {@code floe.query.api-token} is set, every HTTP request but the
 * health endpoints needs {@code Authorization: Bearer <token>}. It is a Vert.x filter rather than a
 * JAX-RS one so that it also guards /q/metrics, /q/openapi and /q/swagger-ui.
 */
@ApplicationScoped
public class ApiTokenFilter {

  void register(@Observes Filters filters, QuerySettings config) {
    // Closed by default: beyond loopback, no start without the token (the same rule in every
    // service)
    Exposure.requireServiceToken(
        "query-service",
        key -> ConfigProvider.getConfig().getOptionalValue(key, String.class),
        "FLOE_QUERY_API_TOKEN",
        config.apiToken());
    config
        .apiToken()
        .filter(token -> !token.isBlank())
        .ifPresent(
            token ->
                filters.register(
                    BearerToken.handler(
                        token, "floe.query.api-token", r -> new ApiError(r.error(), r.message())),
                    1_000));
  }
}
