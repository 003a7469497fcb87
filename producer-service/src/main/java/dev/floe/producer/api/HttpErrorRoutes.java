package dev.floe.producer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Errors answered by the HTTP layer before JAX-RS sees the request (a path no resource matches, a
 * body over {@code quarkus.http.limits.max-body-size}) get the same {@link ErrorBody} shape.
 */
@ApplicationScoped
public class HttpErrorRoutes {
  private final ObjectMapper json = new ObjectMapper();
  private final long maxBodySize;

  public HttpErrorRoutes(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size")
          Optional<MemorySize> maxBodySize) {
    this.maxBodySize = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
  }

  void install(@Observes Router router) {
    // Quarkus answers a declared Content-Length over the limit with a bare 413; answer it first, in
    // the service's error shape (a chunked body over the limit still gets Quarkus' bare 413)
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length != null && tooLarge(length)) {
                ctx.response().putHeader("Connection", "close");
                write(
                    ctx,
                    413,
                    "the body exceeds the size limit (quarkus.http.limits.max-body-size)");
              } else {
                ctx.next();
              }
            });
    router.errorHandler(404, ctx -> write(ctx, 404, "no such resource"));
    router.errorHandler(405, ctx -> write(ctx, 405, "method not allowed on this resource"));
    router.errorHandler(
        413,
        ctx ->
            write(ctx, 413, "the body exceeds the size limit (quarkus.http.limits.max-body-size)"));
  }

  private boolean tooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > maxBodySize;
    } catch (NumberFormatException e) {
      return false;
    }
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
