package dev.floe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.floe.job.model.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void cleanSpellsTheEventInTheRawContractPlusIngestedAt() throws Exception {
    Event e = event();
    JsonNode clean = JSON.readTree(JsonCodec.clean(e));
    assertThat(clean.toString())
        .isEqualTo(
            "{\"eventId\":\"0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a\",\"type\":\"page_view\","
                + "\"userId\":\"user-\\\"42\\\"\",\"occurredAt\":\"2026-01-01T12:00:00Z\","
                + "\"properties\":{\"page\":\"/p/1\",\"ms\":\"5210\"},\"source\":\"replica-1\","
                + "\"producedAt\":\"2026-01-01T12:00:00.100Z\","
                + "\"ingestedAt\":\"2026-01-01T12:00:01Z\",\"campaign\":\"spring\"}");
  }

  @Test
  void aWriterOfManyValuesWritesEachAsCleanDoes() {
    JsonCodec.CleanWriter writer = new JsonCodec.CleanWriter();
    Event full = event();
    Event bare = event();
    bare.userId = null;
    bare.properties = null;
    bare.extra = null;
    for (Event e : new Event[] {full, bare, full, bare}) {
      assertThat(writer.write(e)).isEqualTo(JsonCodec.clean(e));
    }
    Event broken = event();
    broken.occurredAt = null;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(broken))
        .isInstanceOf(NullPointerException.class);
    // a failed value leaves nothing behind for the next one
    assertThat(writer.write(full)).isEqualTo(JsonCodec.clean(full));
  }

  @Test
  void aDeadLettersPayloadIsTheCleanValueWithoutIngestedAt() throws Exception {
    Event e = event();
    JsonNode clean = JSON.readTree(JsonCodec.clean(e));
    ((com.fasterxml.jackson.databind.node.ObjectNode) clean).remove("ingestedAt");
    assertThat(JSON.readTree(JsonCodec.original(e))).isEqualTo(clean);
  }

  @Test
  void cleanLeavesOutWhatTheEventDoesNotHave() throws Exception {
    Event e = event();
    e.userId = null;
    e.properties = null;
    e.source = null;
    e.producedAt = null;
    e.extra = null;
    JsonNode clean = JSON.readTree(JsonCodec.clean(e));
    assertThat(clean.fieldNames())
        .toIterable()
        .containsExactly("eventId", "type", "occurredAt", "ingestedAt");
  }

  private static Event event() {
    Event e = new Event();
    e.eventId = "0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a";
    e.type = "page_view";
    e.userId = "user-\"42\"";
    e.occurredAt = Instant.parse("2026-01-01T12:00:00Z");
    Map<String, String> props = new LinkedHashMap<>();
    props.put("page", "/p/1");
    props.put("ms", "5210");
    e.properties = props;
    e.source = "replica-1";
    e.producedAt = Instant.parse("2026-01-01T12:00:00.100Z");
    e.ingestedAt = Instant.parse("2026-01-01T12:00:01Z");
    e.extra = Map.of("campaign", "s:spring");
    return e;
  }
}
