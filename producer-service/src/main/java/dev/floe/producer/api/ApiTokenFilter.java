package dev.floe.producer.api;

import dev.floe.contract.BearerToken;
import dev.floe.producer.config.ProducerSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * When {@code floe.producer.api-token} is set, every HTTP request but the health endpoints needs
 * {@code Authorization: Bearer <token>}: 401 without it, 403 with a wrong one. As in the
 * query-service, it is a Vert.x filter rather than a JAX-RS one so that it also guards /q/metrics,
 * /q/openapi and /q/swagger-ui; probes use /q/health, which stays open.
 */
@ApplicationScoped
public class ApiTokenFilter {

  void register(@Observes Filters filters, ProducerSettings settings) {
    settings
        .apiToken()
        .filter(token -> !token.isBlank())
        .ifPresent(token -> filters.register(rc -> check(rc, token), 1_000));
  }

  static void check(RoutingContext rc, String token) {
    BearerToken.check(
            rc.normalizedPath(),
            rc.request().getHeader(HttpHeaders.AUTHORIZATION),
            token,
            "floe.producer.api-token")
        .ifPresentOrElse(r -> refuse(rc, r), rc::next);
  }

  private static void refuse(RoutingContext rc, BearerToken.Refusal r) {
    var response = rc.response().setStatusCode(r.status());
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (r.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(Json.encode(ErrorBody.of(r.error(), r.message())));
  }
}
