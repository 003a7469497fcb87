package dev.floe.producer.api;

import dev.floe.producer.ingest.RejectedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every exception that reaches JAX-RS leaves as an {@link ErrorBody}. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response rejected(RejectedInputException e) {
    return json(e.status(), new ErrorBody(e.error(), e.getMessage(), e.violations(), null, null));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    String detail =
        switch (status) {
          case 404 -> "no such resource";
          case 405 -> "method not allowed on this resource";
          case 415 -> "the body must be sent as Content-Type: application/json";
          case 406 -> "this resource answers application/json only";
          default -> e.getMessage();
        };
    Response.ResponseBuilder builder =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(ErrorBody.of(ErrorBody.codeFor(status), detail));
    // keep Allow, WWW-Authenticate, Retry-After and the like
    original
        .getStringHeaders()
        .forEach(
            (k, v) -> {
              if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                v.forEach(value -> builder.header(k, value));
              }
            });
    return builder.build();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("unexpected error", e);
    return json(500, ErrorBody.of("internal_error", "unexpected error; see the service log"));
  }

  static Response json(int status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
