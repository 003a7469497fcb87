package dev.floe.producer.api;

import dev.floe.producer.config.ProducerSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * When {@code floe.producer.api-token} is set, every HTTP request but the health endpoints needs
 * {@code Authorization: Bearer <token>}: 401 without it, 403 with a wrong one. As in the
 * query-service, it is a Vert.x filter rather than a JAX-RS one so that it also guards /q/metrics,
 * /q/openapi and /q/swagger-ui; probes use /q/health, which stays open.
 */
@ApplicationScoped
public class ApiTokenFilter {

  private static final String HEALTH = "/q/health";

  void register(@Observes Filters filters, ProducerSettings settings) {
    settings
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
      refuse(rc, 401, "unauthorized", "send Authorization: Bearer <floe.producer.api-token>");
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
    response.end(Json.encode(ErrorBody.of(code, detail)));
  }
}
