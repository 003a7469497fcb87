package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static DeadLetter letter() {
    DeadLetter d = new DeadLetter();
    d.reason = DeadLetter.Reason.MALFORMED_JSON.name();
    d.detail = "payload is not valid JSON";
    d.payload = "{oops";
    d.payloadEncoding = DeadLetter.UTF_8;
    d.topic = "events.raw";
    d.partition = 3;
    d.offset = 42;
    d.timestamp = 1_700_000_000_000L;
    d.deadLetteredAt = 1_700_000_001_000L;
    return d;
  }

  @Test
  void theJsonShapeIsTheTopicsContract() throws Exception {
    JsonNode json = JSON.readTree(JSON.writeValueAsBytes(letter().toJson(JSON.createObjectNode())));
    assertThat(json.toString())
        .isEqualTo(
            "{\"reason\":\"MALFORMED_JSON\",\"detail\":\"payload is not valid JSON\","
                + "\"payload\":\"{oops\",\"payloadEncoding\":\"utf-8\",\"topic\":\"events.raw\","
                + "\"partition\":3,\"offset\":42,\"timestamp\":\"2023-11-14T22:13:20Z\","
                + "\"deadLetteredAt\":\"2023-11-14T22:13:21Z\"}");
  }

  @Test
  void whatTheJobWritesReadsBackTheSame() {
    DeadLetter read = DeadLetter.fromJson(letter().toJson(JSON.createObjectNode()), 0L);
    assertThat(read).usingRecursiveComparison().isEqualTo(letter());
    assertThat(read.from()).isEqualTo("events.raw/3@42");
    assertThat(read.key()).isEqualTo("events.raw/3/42");
  }

  @Test
  void aTombstoneKeepsNoPayloadAndMissingTimesTakeTheRecordTime() {
    DeadLetter d = letter();
    d.payload = null;
    d.payloadEncoding = DeadLetter.NONE;
    var node = d.toJson(JSON.createObjectNode());
    node.remove("deadLetteredAt");
    DeadLetter read = DeadLetter.fromJson(node, 5L);
    assertThat(read.payload).isNull();
    assertThat(read.payloadEncoding).isEqualTo(DeadLetter.NONE);
    assertThat(read.deadLetteredAt).isEqualTo(5L);
  }
}
