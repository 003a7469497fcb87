package dev.floe.console.api;

import dev.floe.console.config.ConsoleConfig;
import dev.floe.console.sample.Sampler;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Optional access control: when {@code floe.console.api-token} is set, the API ({@code /api/*}) and
 * Quarkus' endpoints but health ({@code /q/*}: OpenAPI, Swagger UI) need {@code Authorization:
 * Bearer <token>}. The page and its scripts stay public: they hold no data, and the page has to
 * load to ask for the token. A Vert.x filter, so it also guards what JAX-RS does not serve.
 */
@ApplicationScoped
public class ApiTokenFilter {

  private static final String HEALTH = "/q/health";

  void register(@Observes Filters filters, ConsoleConfig config, Sampler sampler) {
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
        .ifPresent(token -> filters.register(rc -> check(rc, token), 1_000));
  }

  static boolean guarded(String path) {
    if (path.equals(HEALTH) || path.startsWith(HEALTH + "/")) {
      return false;
    }
    return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/q/");
  }

  static void check(RoutingContext rc, String token) {
    if (!guarded(rc.normalizedPath())) {
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
    // no WWW-Authenticate: the browser must not pop its own dialog; the page asks for the token
    response.end(Json.encode(new ApiError(code, detail)));
  }
}
