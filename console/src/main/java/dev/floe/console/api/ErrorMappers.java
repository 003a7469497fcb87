package dev.floe.console.api;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves the console as {@code {"error": ..., "detail": ...}} with its status. */
public class ErrorMappers {

  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response invalid(ConstraintViolationException e) {
    String detail =
        e.getConstraintViolations().stream()
            .map(
                v -> {
                  String path = v.getPropertyPath().toString();
                  return path.substring(path.lastIndexOf('.') + 1) + " " + v.getMessage();
                })
            .sorted()
            .collect(Collectors.joining("; "));
    return json(400, "invalid_request", detail);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code =
        switch (status) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 406 -> "not_acceptable";
          default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    return json(status, code, e.getMessage());
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("Unexpected failure", e);
    return json(500, "internal_error", e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  static Response json(int status, String code, String detail) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(code, detail))
        .build();
  }
}
