package dev.floe.producer.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing of the ISO-8601 instants the API accepts. */
public final class Instants {
  private static final int[] SCALE = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private Instants() {}

  /** The instant, or null when the text is not an ISO-8601 date-time with an offset. */
  public static Instant parse(String text) {
    Instant utc = parseUtc(text);
    if (utc != null) {
      return utc;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The shape nearly every client sends, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, read without the
   * formatter (which took a tenth of the service's CPU under load); null for anything else, which
   * the formatter then decides. Same result as the formatter: the date and time are checked by
   * {@link LocalDateTime#of}, as strictly as ISO_OFFSET_DATE_TIME does.
   */
  static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || n == 21
        || n > 30
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int fraction = n > 20 ? digits(s, 20, n - 21) : 0;
    if ((year | month | day | hour | minute | second | fraction) < 0) {
      return null;
    }
    int nanos = n > 20 ? fraction * SCALE[9 - (n - 21)] : 0;
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of {@code length} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
