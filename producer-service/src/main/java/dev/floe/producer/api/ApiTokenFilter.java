package dev.floe.producer.api;

import dev.floe.contract.BearerToken;
import dev.floe.contract.Exposure;
import dev.floe.producer.config.ProducerSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * When {@code floe.producer.api-token} is set, every HTTP request but the health endpoints needs
 * {@code Authorization: Bearer <token>}: 401 without it, 403 with a wrong one. As in the
 * query-service, it is a Vert.x filter rather than a JAX-RS one so that it also guards /q/metrics,
 * /q/openapi and /q/swagger-ui; probes use /q/health, which stays open.
 */
@ApplicationScoped
public class ApiTokenFilter {

  void register(@Observes Filters filters, ProducerSettings settings) {
    // Closed by default: beyond loopback, no start without the token (the same rule in every
    // service)
    Exposure.requireServiceToken(
        "producer-service",
        key -> ConfigProvider.getConfig().getOptionalValue(key, String.class),
        "FLOE_PRODUCER_API_TOKEN",
        settings.apiToken());
    settings
        .apiToken()
        .filter(token -> !token.isBlank())
        .ifPresent(
            token ->
                filters.register(
                    BearerToken.handler(
                        token,
                        "floe.producer.api-token",
                        r -> ErrorBody.of(r.error(), r.message())),
                    1_000));
  }
}
