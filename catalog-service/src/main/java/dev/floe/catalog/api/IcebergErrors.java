package dev.floe.catalog.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchIcebergTableException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ValidationException;
import org.jboss.logging.Logger;

/**
 * Every failure as the REST spec's error body ({@code {"error": {"message", "type", "code"}}}) with
 * the status Iceberg's clients turn back into the same exception (the table of the spec, as in
 * Iceberg's own test server).
 */
@Provider
public class IcebergErrors implements ExceptionMapper<Exception> {

  private static final Logger LOG = Logger.getLogger(IcebergErrors.class);

  private static final Map<Class<? extends Exception>, Integer> CODES = new LinkedHashMap<>();

  static {
    CODES.put(IllegalArgumentException.class, 400);
    CODES.put(ValidationException.class, 400);
    CODES.put(NotAuthorizedException.class, 401);
    CODES.put(ForbiddenException.class, 403);
    CODES.put(NoSuchNamespaceException.class, 404);
    CODES.put(NoSuchTableException.class, 404);
    CODES.put(NoSuchViewException.class, 404);
    CODES.put(NoSuchIcebergTableException.class, 404);
    CODES.put(NotFoundException.class, 404);
    CODES.put(UnsupportedOperationException.class, 406);
    CODES.put(NamespaceNotEmptyException.class, 409);
    CODES.put(AlreadyExistsException.class, 409);
    CODES.put(CommitFailedException.class, 409);
    CODES.put(CommitStateUnknownException.class, 500);
  }

  @Override
  public Response toResponse(Exception e) {
    int code;
    String type;
    if (e instanceof WebApplicationException w) {
      // JAX-RS' own (no route: 404, wrong method: 405, wrong media type: 415)
      code = w.getResponse().getStatus();
      type = code == 404 ? "NotFoundException" : "BadRequestException";
    } else {
      code = 500;
      for (Map.Entry<Class<? extends Exception>, Integer> c : CODES.entrySet()) {
        if (c.getKey().isInstance(e)) {
          code = c.getValue();
          break;
        }
      }
      type = e.getClass().getSimpleName();
    }
    if (code >= 500) {
      LOG.error("catalog request failed", e);
    }
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return Response.status(code)
        .type(MediaType.APPLICATION_JSON)
        .entity(IcebergJson.error(code, type, message))
        .build();
  }
}
