package dev.floe.producer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Errors answered by the HTTP layer before JAX-RS sees the request (a path no resource matches, a
 * body over {@code quarkus.http.limits.max-body-size}) get the same {@link ErrorBody} shape.
 */
@ApplicationScoped
public class HttpErrorRoutes {
  private final ObjectMapper json = new ObjectMapper();

  void install(@Observes Router router) {
    router.errorHandler(404, ctx -> write(ctx, 404, "no such resource"));
    router.errorHandler(405, ctx -> write(ctx, 405, "method not allowed on this resource"));
    router.errorHandler(
        413,
        ctx ->
            write(ctx, 413, "the body exceeds the size limit (quarkus.http.limits.max-body-size)"));
  }

  private void write(RoutingContext ctx, int status, String detail) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    String body;
    try {
      body = json.writeValueAsString(ErrorBody.of(ErrorBody.codeFor(status), detail));
    } catch (JsonProcessingException e) {
      body = "{\"error\":\"" + ErrorBody.codeFor(status) + "\"}";
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
