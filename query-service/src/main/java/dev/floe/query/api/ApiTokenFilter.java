package dev.floe.query.api;

import dev.floe.query.config.QueryConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Optional access control: when {@code floe.query.api-token} is set, every HTTP request but the
 * health endpoints needs {@code Authorization: Bearer <token>}. It is a Vert.x filter rather than a
 * JAX-RS one so that it also guards /q/metrics, /q/openapi and /q/swagger-ui.
 */
@ApplicationScoped
public class ApiTokenFilter {

  private static final String HEALTH = "/q/health";

  void register(@Observes Filters filters, QueryConfig config) {
    config
        .apiToken()
        .filter(token -> !token.isBlank())
        .ifPresent(token -> filters.register(rc -> check(rc, token), 1_000));
  }

  static void check(RoutingContext rc, String token) {
    String path = rc.normalizedPath();
    if (path.equals(HEALTH) || path.startsWith(HEALTH + "/")) {
      rc.next();
      return;
    }
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(
          rc, 401, "unauthorized", "this endpoint needs the header Authorization: Bearer <token>");
      return;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
      refuse(rc, 403, "forbidden", "the bearer token is not valid");
      return;
    }
    rc.next();
  }

  private static void refuse(RoutingContext rc, int status, String code, String detail) {
    var response = rc.response().setStatusCode(status);
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(Json.encode(new ApiError(code, detail)));
  }
}
