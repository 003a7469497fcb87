package dev.floe.query.trino;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonValuesTest {

  @Test
  void timestampsWithTimeZoneBecomeIsoInstantsKeepingTheirPrecision() {
    assertThat(JsonValues.instantText("2024-05-01 10:00:00.123456 UTC"))
        .isEqualTo("2024-05-01T10:00:00.123456Z");
    assertThat(JsonValues.instantText("2024-05-01 12:00:00.000 Europe/Paris"))
        .isEqualTo("2024-05-01T10:00:00Z");
    assertThat(JsonValues.instantText("2024-05-01 12:00:00.5 +02:00"))
        .isEqualTo("2024-05-01T10:00:00.500Z");
    assertThat(JsonValues.instantText(null)).isNull();
  }

  @Test
  void timestampsWithoutTimeZoneBecomeIsoLocalDateTimes() {
    assertThat(JsonValues.localTimestampText("2024-05-01 10:00:00.500"))
        .isEqualTo("2024-05-01T10:00:00.500");
  }
}
