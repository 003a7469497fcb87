package dev.floe.producer.api;

import dev.floe.producer.config.ProducerSettings;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When {@code floe.producer.api-token} is set, {@code POST /events} and every {@code /generator}
 * call need {@code Authorization: Bearer <token>}: 401 without it, 403 with a wrong one. Reading
 * endpoints (health, metrics, OpenAPI) stay open for probes and scrapers.
 */
public class ApiTokenFilter {
  private final Optional<byte[]> token;

  public ApiTokenFilter(ProducerSettings settings) {
    this.token = settings.apiToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  @ServerRequestFilter
  public Optional<Response> check(ContainerRequestContext request) {
    if (token.isEmpty() || !protectedCall(request)) {
      return Optional.empty();
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(
          Response.status(401)
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
              .type("application/json")
              .entity(
                  ErrorBody.of(
                      "unauthorized", "send Authorization: Bearer <floe.producer.api-token>"))
              .build());
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.get())) {
      return Optional.of(
          Response.status(403)
              .type("application/json")
              .entity(ErrorBody.of("forbidden", "the bearer token is not valid"))
              .build());
    }
    return Optional.empty();
  }

  private static boolean protectedCall(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/generator")) {
      return true;
    }
    return path.startsWith("/events") && HttpMethod.POST.equals(request.getMethod());
  }
}
