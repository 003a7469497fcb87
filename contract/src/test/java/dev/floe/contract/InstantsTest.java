package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T12:00:00Z",
        "2026-01-01T12:00:00.1Z",
        "2026-01-01T12:00:00.123Z",
        "2026-01-01T12:00:00.123456789Z",
        "2024-02-29T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2026-01-01t12:00:00z",
        "2026-01-01T13:00:00+01:00",
        "2026-01-01T12:00Z",
        "2026-01-01T12:00:00.Z",
        "2026-01-01T12:00:00.1234567890Z",
        "2025-02-29T12:00:00Z",
        "2026-13-01T12:00:00Z",
        "2026-01-32T12:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z",
        "2026-01-01T23:59:60Z",
        "2026-1-01T12:00:00Z",
        "2026-01-01 12:00:00Z",
        "2026-01-01T12:00:00",
        "+2026-01-01T12:00:00Z",
        "2026-01-01T1a:00:00Z",
        "2026-01-01T12:00:00.12a4Z",
        "not a date"
      })
  void agreesWithTheIsoFormatter(String text) {
    assertThat(Instants.parse(text)).isEqualTo(formatter(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-01T12:00:00Z", "2026-03-01T10:00:00.250Z"})
  void readsTheCommonShapeWithoutTheFormatter(String text) {
    assertThat(Instants.parseUtc(text)).isNotNull().isEqualTo(formatter(text));
  }

  private static java.time.Instant formatter(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T12:00:00Z",
        "2026-01-01T12:00:00.100Z",
        "2026-01-01T12:00:00.123456Z",
        "2026-01-01T12:00:00.123456789Z",
        "2026-01-01T12:00:00.000001Z",
        "2026-01-01T12:00:00.000000001Z",
        "1969-12-31T23:59:59.999Z",
        "1900-03-01T00:00:00Z",
        "2024-02-29T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "-0001-12-31T23:59:59Z",
        "+10000-01-01T00:00:00Z"
      })
  void formatWritesWhatInstantToStringWrites(String text) {
    java.time.Instant instant = java.time.Instant.parse(text);
    assertThat(Instants.format(instant)).isEqualTo(instant.toString());
  }

  @org.junit.jupiter.api.Test
  void formatAgreesWithToStringOnRandomInstants() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 100_000; i++) {
      long seconds = random.nextLong() % 253_402_300_799L;
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      java.time.Instant instant = java.time.Instant.ofEpochSecond(seconds, nanos);
      assertThat(Instants.format(instant)).isEqualTo(instant.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T12:00:00Z",
        "2026-01-01T12:00:00.100Z",
        "2026-01-01T12:00:00.000Z",
        "2026-01-01T12:00:00.123456Z",
        "2026-01-01T12:00:00.123000Z",
        "2026-01-01T12:00:00.000001Z",
        "2026-01-01T12:00:00.000000Z",
        "2026-01-01T12:00:00.1Z",
        "2026-01-01T12:00:00.12Z",
        "2026-01-01T12:00:00.1234Z",
        "2026-01-01T12:00:00.123456789Z",
        "2026-01-01T12:00:00.123456000Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z"
      })
  void aTextIsCanonicalExactlyWhenFormatWritesItBackAfterTruncationToMicroseconds(String text) {
    java.time.Instant parsed = Instants.parseUtc(text);
    assertThat(parsed).isNotNull();
    String back = Instants.format(parsed.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(Instants.isCanonicalUtc(text)).isEqualTo(back.equals(text));
  }
}
