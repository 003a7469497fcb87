package dev.floe.query.trino;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps what the Trino driver throws to the API's status and error code. Trino's error codes are the
 * stable numbers of {@code io.trino.spi.StandardErrorCode}; the driver puts them in {@link
 * SQLException#getErrorCode()} and prefixes Trino's message with {@code Query failed (#id): }.
 */
public final class TrinoErrors {

  private static final int PERMISSION_DENIED = 4;
  private static final int USER_CANCELED = 3;
  private static final Set<Integer> NOT_FOUND =
      Set.of(
          5, // NOT_FOUND
          44, // CATALOG_NOT_FOUND
          45, // SCHEMA_NOT_FOUND
          46, // TABLE_NOT_FOUND
          86); // MISSING_TABLE
  private static final Set<Integer> UNAVAILABLE =
      Set.of(
          65541, // NO_NODES_AVAILABLE
          65545, // SERVER_SHUTTING_DOWN
          65548); // SERVER_STARTING_UP
  private static final int EXCEEDED_TIME_LIMIT = 131075;
  private static final int INTERNAL_ERRORS = 0x1_0000;
  private static final int INSUFFICIENT_RESOURCES = 0x2_0000;
  private static final int CONNECTOR_ERRORS = 0x100_0000;

  private static final Pattern QUERY_FAILED =
      Pattern.compile("^Query failed \\(#([^)]*)\\): (.*)$", Pattern.DOTALL);

  private TrinoErrors() {}

  public static QueryFailure translate(SQLException e, String queryId) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher failed = QUERY_FAILED.matcher(message);
    if (!failed.matches()) {
      // The driver did not get an answer from Trino at all: refused connection, timeout, 503.
      return new QueryFailure(
          503, "trino_unavailable", "Trino is not reachable: " + rootMessage(e), e);
    }
    String id = failed.group(1);
    String detail = failed.group(2) + " (query " + id + ")";
    int code = e.getErrorCode();
    if (code == PERMISSION_DENIED) {
      return new QueryFailure(403, "access_denied", detail, e);
    }
    if (NOT_FOUND.contains(code)) {
      return new QueryFailure(404, "not_found", detail, e);
    }
    if (code == EXCEEDED_TIME_LIMIT || code == USER_CANCELED) {
      return new QueryFailure(504, "query_timeout", detail, e);
    }
    if (UNAVAILABLE.contains(code)) {
      return new QueryFailure(503, "trino_unavailable", detail, e);
    }
    if (code >= INSUFFICIENT_RESOURCES && code < CONNECTOR_ERRORS) {
      return new QueryFailure(503, "trino_overloaded", detail, e);
    }
    if (code >= INTERNAL_ERRORS && code < INSUFFICIENT_RESOURCES) {
      return new QueryFailure(502, "trino_error", detail, e);
    }
    if (code >= CONNECTOR_ERRORS) {
      // Connector errors (Iceberg metadata, file system) are the lake's problem, not the caller's.
      return new QueryFailure(502, "trino_error", detail, e);
    }
    return new QueryFailure(400, "invalid_query", detail, e);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    String message = e.getMessage();
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
      if (cause.getMessage() != null) {
        message = cause.getMessage();
      }
      if (cause instanceof IOException) {
        break;
      }
    }
    return message;
  }
}
