package dev.floe.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The ISO-8601 instants of an event, read and written without {@code DateTimeFormatter} in the
 * shape nearly every event has (the formatter took a tenth of the producer's CPU and more of the
 * job's): producer-service and the Flink job share these.
 */
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
   * {@link LocalDate#of} and the bounds of {@link java.time.LocalTime}, as strictly as
   * ISO_OFFSET_DATE_TIME does.
   */
  public static Instant parseUtc(String s) {
    int n = s.length();
    if (!hasUtcShape(s)) {
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
    // the time's bounds are LocalTime's (no 24:00, no leap second); the date is checked by
    // LocalDate
    if (hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    try {
      long day0 = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(day0 * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * Whether a text {@link #parseUtc} accepts is already what {@link #format} writes for its instant
   * truncated to microseconds: no fraction, 3 digits other than 000, or 6 digits not ending in 000.
   */
  public static boolean isCanonicalUtc(String s) {
    int n = s.length();
    return (n == 20 || (n == 24 && !zeros(s, 20)) || (n == 27 && !zeros(s, 23))) && hasUtcShape(s);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} by its separators and length (digits unchecked). */
  private static boolean hasUtcShape(String s) {
    int n = s.length();
    return n >= 20
        && n != 21
        && n <= 30
        && s.charAt(n - 1) == 'Z'
        && s.charAt(4) == '-'
        && s.charAt(7) == '-'
        && s.charAt(10) == 'T'
        && s.charAt(13) == ':'
        && s.charAt(16) == ':'
        && (n == 20 || s.charAt(19) == '.');
  }

  private static boolean zeros(String s, int from) {
    return s.charAt(from) == '0' && s.charAt(from + 1) == '0' && s.charAt(from + 2) == '0';
  }

  /**
   * The same text as {@link Instant#toString()} (ISO_INSTANT: seconds always, a fraction of 3, 6 or
   * 9 digits as needed), written without the formatter for the years 0 to 9999.
   */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < MIN_FAST_SECOND || seconds > MAX_FAST_SECOND) {
      return instant.toString();
    }
    long day = Math.floorDiv(seconds, 86_400);
    int secondOfDay = Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(day);
    int nanos = instant.getNano();
    int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
    char[] out = new char[20 + (fractionDigits == 0 ? 0 : fractionDigits + 1)];
    put(out, 0, date.getYear(), 4);
    out[4] = '-';
    put(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    if (fractionDigits > 0) {
      out[19] = '.';
      put(out, 20, nanos / SCALE[9 - fractionDigits], fractionDigits);
    }
    out[out.length - 1] = 'Z';
    return new String(out);
  }

  private static final long MIN_FAST_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long MAX_FAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
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
