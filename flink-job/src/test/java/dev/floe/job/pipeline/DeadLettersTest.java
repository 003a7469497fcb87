package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.floe.contract.DeadLetter;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.job.model.RawRecord;
import dev.floe.job.sink.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  @Test
  void keepsUtf8TextAndCoordinates() throws Exception {
    RawRecord raw =
        new RawRecord(
            "events.raw", 3, 42L, 1_700_000_000_000L, "{oops".getBytes(StandardCharsets.UTF_8));
    DeadLetter letter = DeadLetters.of(raw, Reason.MALFORMED_JSON, "bad", 1_700_000_001_000L);

    JsonNode json = JsonMapper.builder().build().readTree(JsonCodec.deadLetter(letter));
    assertThat(json.get("reason").asText()).isEqualTo("MALFORMED_JSON");
    assertThat(json.get("detail").asText()).isEqualTo("bad");
    assertThat(json.get("payload").asText()).isEqualTo("{oops");
    assertThat(json.get("payloadEncoding").asText()).isEqualTo("utf-8");
    assertThat(json.get("topic").asText()).isEqualTo("events.raw");
    assertThat(json.get("partition").asInt()).isEqualTo(3);
    assertThat(json.get("offset").asLong()).isEqualTo(42L);
    assertThat(json.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(json.get("deadLetteredAt").asText()).isEqualTo("2023-11-14T22:13:21Z");
  }

  @Test
  void keepsNonUtf8BytesAsBase64() {
    byte[] bytes = {(byte) 0xFF, (byte) 0xFE, 0x00, 0x41};
    DeadLetter letter =
        DeadLetters.of(new RawRecord("t", 0, 1L, 0L, bytes), Reason.NOT_UTF8, "x", 0L);
    assertThat(letter.payloadEncoding).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(letter.payload)).isEqualTo(bytes);
  }

  @Test
  void tombstoneHasNoPayload() {
    DeadLetter letter =
        DeadLetters.of(new RawRecord("t", 0, 1L, 0L, null), Reason.EMPTY_PAYLOAD, "x", 0L);
    assertThat(letter.payloadEncoding).isEqualTo("none");
    assertThat(letter.payload).isNull();
  }
}
