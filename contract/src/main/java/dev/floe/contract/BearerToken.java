package dev.floe.contract;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Function;

/**
 * The services' optional API token, decided the same way in each of them: when a token is
 * configured, every request but the health endpoints needs {@code Authorization: Bearer <token>};
 * 401 without it, 403 with a wrong one (compared in constant time).
 */
public final class BearerToken {

  /** The health endpoints, open to probes. */
  public static final String HEALTH_PATH = "/q/health";

  private BearerToken() {}

  /**
   * Why a request is refused.
   *
   * @param status 401 or 403
   * @param error the error code of the JSON body
   * @param message what to do
   */
  public record Refusal(int status, String error, String message) {}

  /**
   * Decides a request.
   *
   * @param path the request's normalised path
   * @param authorization its Authorization header, or null
   * @param token the configured token
   * @param setting the setting that holds the token, named in the 401 message
   * @return empty when the request may pass
   */
  public static Optional<Refusal> check(
      String path, String authorization, String token, String setting) {
    if (path.equals(HEALTH_PATH) || path.startsWith(HEALTH_PATH + "/")) {
      return Optional.empty();
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(
          new Refusal(
              401,
              "unauthorized",
              "this endpoint needs the header Authorization: Bearer <" + setting + ">"));
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of(new Refusal(403, "forbidden", "the bearer token is not valid"));
    }
    return Optional.empty();
  }

  /**
   * The Vert.x filter of a Quarkus service (registered on {@code Filters}, so that it also guards
   * {@code /q/metrics}, {@code /q/openapi} and {@code /q/swagger-ui}): passes or answers the
   * refusal with the service's own JSON error body and, for 401, {@code WWW-Authenticate: Bearer}.
   *
   * @param token the configured token
   * @param setting the setting that holds it, named in the 401 message
   * @param body the service's error body for a refusal
   * @return the handler
   */
  public static Handler<RoutingContext> handler(
      String token, String setting, Function<Refusal, Object> body) {
    return handler(token, setting, body, path -> false, true);
  }

  /**
   * The filter, with paths that stay open besides health (a page that must load to ask for the
   * token, say).
   *
   * @param token the configured token
   * @param setting the setting that holds it, named in the 401 message
   * @param body the service's error body for a refusal
   * @param open paths that need no token
   * @param challenge whether a 401 says {@code WWW-Authenticate: Bearer} (a page that asks for the
   *     token itself does not want the browser's own dialog)
   * @return the handler
   */
  public static Handler<RoutingContext> handler(
      String token,
      String setting,
      Function<Refusal, Object> body,
      java.util.function.Predicate<String> open,
      boolean challenge) {
    return rc -> {
      if (open.test(rc.normalizedPath())) {
        rc.next();
        return;
      }
      guard(rc, token, setting, body, challenge);
    };
  }

  private static void guard(
      RoutingContext rc,
      String token,
      String setting,
      Function<Refusal, Object> body,
      boolean challenge) {
    check(rc.normalizedPath(), rc.request().getHeader(HttpHeaders.AUTHORIZATION), token, setting)
        .ifPresentOrElse(
            r -> {
              var response = rc.response().setStatusCode(r.status());
              response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
              if (challenge && r.status() == 401) {
                response.putHeader("WWW-Authenticate", "Bearer");
              }
              response.end(Json.encode(body.apply(r)));
            },
            rc::next);
  }
}
