package dev.floe.query.trino;

/**
 * A request that did not produce rows, with the HTTP status and the stable error code the API
 * answers with ({@code {"error": code, "detail": message}}).
 */
public class QueryFailure extends RuntimeException {

  private final int status;
  private final String code;

  public QueryFailure(int status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  public QueryFailure(int status, String code, String detail, Throwable cause) {
    super(detail, cause);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static QueryFailure badRequest(String detail) {
    return new QueryFailure(400, "invalid_request", detail);
  }
}
