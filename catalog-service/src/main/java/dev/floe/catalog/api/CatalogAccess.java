package dev.floe.catalog.api;

import dev.floe.catalog.config.CatalogSettings;
import dev.floe.contract.BearerToken;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Who may do what, decided before a request reaches a route, as a Vert.x filter so that it guards
 * every endpoint ({@code /q/metrics} too): other engines read the lake, they do not change it
 * behind the job's back.
 *
 * <ul>
 *   <li>A write (any {@code POST}/{@code DELETE} under {@code /v1} but a scan's metrics report)
 *       needs {@code Authorization: Bearer <floe.catalog.admin-token>}; with no admin token
 *       configured, every write is refused.
 *   <li>Everything else is open, or, with {@code floe.catalog.api-token} set, needs that token (or
 *       the admin token). Health stays open to probes.
 * </ul>
 *
 * Refusals are the REST spec's error body, so Iceberg clients raise their NotAuthorized or
 * Forbidden exception with the message.
 */
@ApplicationScoped
public class CatalogAccess {

  static final String API_TOKEN = "floe.catalog.api-token";
  static final String ADMIN_TOKEN = "floe.catalog.admin-token";

  void register(@Observes Filters filters, CatalogSettings config) {
    filters.register(rc -> guard(rc, config.apiToken(), config.adminToken()), 1_000);
  }

  private static void guard(RoutingContext rc, Optional<String> api, Optional<String> admin) {
    decide(
            rc.request().method(),
            rc.normalizedPath(),
            rc.request().getHeader(HttpHeaders.AUTHORIZATION),
            api,
            admin)
        .ifPresentOrElse(
            r -> {
              var response = rc.response().setStatusCode(r.status());
              response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
              if (r.status() == 401) {
                response.putHeader("WWW-Authenticate", "Bearer");
              }
              response.end(
                  IcebergJson.error(
                      r.status(),
                      r.status() == 401 ? "NotAuthorizedException" : "ForbiddenException",
                      r.message()));
            },
            rc::next);
  }

  /**
   * Decides a request.
   *
   * @param method its method
   * @param path its normalised path
   * @param authorization its Authorization header, or null
   * @param api the read token, if configured
   * @param admin the admin token, if configured
   * @return the refusal, or empty when the request may pass
   */
  static Optional<BearerToken.Refusal> decide(
      HttpMethod method,
      String path,
      String authorization,
      Optional<String> api,
      Optional<String> admin) {
    if (isWrite(method, path)) {
      if (admin.isEmpty()) {
        return Optional.of(
            new BearerToken.Refusal(
                403,
                "forbidden",
                "writes through the catalog-service are closed: the lake's table is written by"
                    + " its job; an operator sets "
                    + ADMIN_TOKEN
                    + " to open them"));
      }
      return BearerToken.check(path, authorization, admin.get(), ADMIN_TOKEN)
          .map(
              r ->
                  new BearerToken.Refusal(
                      r.status(),
                      r.error(),
                      r.status() == 401
                          ? "a write needs the header Authorization: Bearer <" + ADMIN_TOKEN + ">"
                          : "a write needs the admin token"));
    }
    if (api.isEmpty()) {
      return Optional.empty();
    }
    Optional<BearerToken.Refusal> refusal =
        BearerToken.check(path, authorization, api.get(), API_TOKEN);
    if (refusal.isPresent()
        && admin.isPresent()
        && BearerToken.check(path, authorization, admin.get(), ADMIN_TOKEN).isEmpty()) {
      return Optional.empty();
    }
    return refusal;
  }

  /**
   * Every change of the catalog is a POST or DELETE under /v1; a metrics report changes nothing.
   */
  static boolean isWrite(HttpMethod method, String path) {
    if (!path.startsWith("/v1/")) {
      return false;
    }
    boolean changing =
        method.equals(HttpMethod.POST)
            || method.equals(HttpMethod.DELETE)
            || method.equals(HttpMethod.PUT)
            || method.equals(HttpMethod.PATCH);
    return changing && !(method.equals(HttpMethod.POST) && path.endsWith("/metrics"));
  }
}
