package dev.floe.producer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.floe.producer.ingest.Violation;
import java.util.List;

/**
 * The one error shape of the service: {@code error} (stable machine code), {@code detail} (for
 * people), {@code violations} (field path and message; empty unless input was invalid). A 503 from
 * {@code POST /events} adds {@code acknowledged} and {@code notAcknowledged} event ids.
 */
@JsonPropertyOrder({"error", "detail", "violations", "acknowledged", "notAcknowledged"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
    String error,
    String detail,
    List<Violation> violations,
    List<String> acknowledged,
    List<String> notAcknowledged) {

  public static ErrorBody of(String error, String detail) {
    return new ErrorBody(error, detail, List.of(), null, null);
  }

  /** Machine code for a plain HTTP status. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 503 -> "service_unavailable";
      default -> status >= 500 ? "internal_error" : "http_" + status;
    };
  }
}
