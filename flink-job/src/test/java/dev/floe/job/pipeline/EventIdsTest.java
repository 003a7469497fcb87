package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.job.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdsTest {

  @Test
  void theProducersLayoutGivesTheBitsOfTheIdInAnySpelling() {
    for (int i = 0; i < 1000; i++) {
      UUID id = UUID.randomUUID();
      String text = i % 2 == 0 ? id.toString() : id.toString().toUpperCase(Locale.ROOT);
      RawRecord r = record("{\"eventId\":\"" + text + "\",\"type\":\"click\"}");
      assertThat(EventIds.readProducerLayout(r)).isTrue();
      assertThat(r.idHi).isEqualTo(id.getMostSignificantBits());
      assertThat(r.idLo).isEqualTo(id.getLeastSignificantBits());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"click\",\"eventId\":\"0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6b\"}",
        "{ \"eventId\":\"0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6b\"}",
        "{\"eventId\":\"0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6\"}",
        "{\"eventId\":\"0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6bb\"}",
        "{\"eventId\":\"0b7e6a4c01f0e-4d8e-9a7b-1c2d3e4f5a6b\"}",
        "{\"eventId\":\"0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6g\"}",
        "{\"eventId\":\"\\u0030b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6\"}",
        "{\"eventId\":42}",
        "not json"
      })
  void anyOtherLayoutIsLeftToTheJsonScanWhichAgreesWithTheParser(String json) {
    RawRecord r = record(json);
    assertThat(EventIds.readProducerLayout(r)).isFalse();
    EventIds.assign(r);
    UUID read = EventIds.read(r.value);
    if (read != null) {
      assertThat(r.idHi).isEqualTo(read.getMostSignificantBits());
      assertThat(r.idLo).isEqualTo(read.getLeastSignificantBits());
    } else {
      // no id: the coordinates only spread the record, the parser dead-letters it
      assertThat(r.idHi).isEqualTo(r.partition);
      assertThat(r.idLo).isEqualTo(r.offset);
    }
  }

  private static RawRecord record(String json) {
    return new RawRecord("events.raw", 3, 17L, 0L, json.getBytes(StandardCharsets.UTF_8));
  }
}
