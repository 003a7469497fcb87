package dev.floe.query.api;

import dev.floe.contract.BearerToken;
import dev.floe.query.config.QuerySettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
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
        .ifPresent(token -> filters.register(rc -> check(rc, token), 1_000));
  }

  static void check(RoutingContext rc, String token) {
    BearerToken.check(
            rc.normalizedPath(),
            rc.request().getHeader(HttpHeaders.AUTHORIZATION),
            token,
            "floe.query.api-token")
        .ifPresentOrElse(r -> refuse(rc, r), rc::next);
  }

  private static void refuse(RoutingContext rc, BearerToken.Refusal r) {
    var response = rc.response().setStatusCode(r.status());
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (r.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(Json.encode(new ApiError(r.error(), r.message())));
  }
}
