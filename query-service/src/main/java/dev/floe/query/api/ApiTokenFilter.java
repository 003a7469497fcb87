package dev.floe.query.api;

import dev.floe.contract.BearerToken;
import dev.floe.query.config.QuerySettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Optional access control: when {@code floe.query.api-token} is set, every HTTP request but the
 * health endpoints needs {@code Authorization: Bearer <token>}. It is a Vert.x filter rather than a
 * JAX-RS one so that it also guards /q/metrics, /q/openapi and /q/swagger-ui.
 */
@ApplicationScoped
public class ApiTokenFilter {

  void register(@Observes Filters filters, QuerySettings config) {
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
