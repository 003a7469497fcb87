package dev.floe.query.api;

import dev.floe.query.trino.QueryFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A point in the events table's history: {@code asOf=<ISO instant>} (the snapshot current at that
 * time) or {@code snapshot=<id>}, never both.
 */
public sealed interface TimeTravel {

  record AsOf(Instant instant) implements TimeTravel {}

  record Snapshot(long id) implements TimeTravel {}

  /** The request's choice, or empty; a malformed or conflicting value is a 400. */
  static Optional<TimeTravel> of(String asOf, Long snapshot) {
    if (asOf != null && snapshot != null) {
      throw QueryFailure.badRequest("give either asOf or snapshot, not both");
    }
    if (snapshot != null) {
      return Optional.of(new Snapshot(snapshot));
    }
    if (asOf != null) {
      return Optional.of(new AsOf(instant("asOf", asOf)));
    }
    return Optional.empty();
  }

  /** An ISO-8601 instant ({@code 2024-05-01T12:00:00Z}) or date-time with offset. */
  static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException again) {
        throw QueryFailure.badRequest(
            name + " must be an ISO-8601 instant such as 2024-05-01T12:00:00Z, got: " + value);
      }
    }
  }

  /**
   * The clause as SQL text. Trino 476 does not bind parameters inside {@code FOR ... AS OF}, so it
   * is built from the parsed, typed value (an {@link Instant} or a {@code long}): no caller text
   * reaches the SQL.
   */
  default String literalClause() {
    if (this instanceof AsOf asOf) {
      return " FOR TIMESTAMP AS OF TIMESTAMP '"
          + LITERAL.format(asOf.instant().atOffset(ZoneOffset.UTC))
          + " UTC'";
    }
    return " FOR VERSION AS OF " + ((Snapshot) this).id();
  }

  /** Millisecond precision: Trino's time travel takes a {@code timestamp(3) with time zone}. */
  DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
}
