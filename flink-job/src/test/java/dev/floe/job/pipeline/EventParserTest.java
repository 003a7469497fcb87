package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.floe.contract.DeadLetter.Reason;
import dev.floe.job.model.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventParserTest {

  private static final String ID = "3f1c2a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b";

  @Test
  void parsesACompleteEvent() throws Exception {
    Event e =
        EventParser.parse(
            bytes(
                """
                {"eventId":"3F1C2A9E-8B7D-4E6F-9A0B-1C2D3E4F5A6B","type":"page_view","userId":"u-1",
                 "occurredAt":"2025-03-01T10:15:30.123456789Z",
                 "properties":{"plan":"pro","count":3,"ok":true,"none":null},
                 "source":"producer-1","producedAt":"2025-03-01T10:15:31+01:00","extra":"kept"}
                """));
    assertThat(e.eventId).isEqualTo(ID);
    assertThat(e.type).isEqualTo("page_view");
    assertThat(e.userId).isEqualTo("u-1");
    assertThat(e.occurredAt).isEqualTo(Instant.parse("2025-03-01T10:15:30.123456Z"));
    Map<String, String> expected = new HashMap<>();
    expected.put("plan", "pro");
    expected.put("count", "3");
    expected.put("ok", "true");
    expected.put("none", null);
    assertThat(e.properties).isEqualTo(expected);
    assertThat(e.source).isEqualTo("producer-1");
    assertThat(e.producedAt).isEqualTo(Instant.parse("2025-03-01T09:15:31Z"));
    assertThat(e.extra).containsExactly(Map.entry("extra", "s:kept"));
  }

  @Test
  void keepsExtraTopLevelScalarsWithTheirJsonTypeAndIgnoresNestedOnes() throws Exception {
    Event e =
        EventParser.parse(
            bytes(
                "{\"eventId\":\""
                    + ID
                    + "\",\"type\":\"click\",\"occurredAt\":\"2025-03-01T10:15:30Z\","
                    + "\"cartValue\":12.5,\"items\":3,\"campaign\":\"x\",\"vip\":false,"
                    + "\"gone\":null,\"nested\":{\"a\":1},\"list\":[1]}"));
    assertThat(e.extra)
        .containsExactly(
            Map.entry("cartValue", "d:12.5"),
            Map.entry("items", "l:3"),
            Map.entry("campaign", "s:x"),
            Map.entry("vip", "b:false"));
    Event plain =
        EventParser.parse(
            bytes(
                "{\"eventId\":\""
                    + ID
                    + "\",\"type\":\"click\",\"occurredAt\":\"2025-03-01T10:15:30Z\"}"));
    assertThat(plain.extra).isNull();
  }

  /** The parser's fast checks accept only what the contract accepts, and keep its spelling. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        ID,
        "3F1C2A9E-8B7D-4E6F-9A0B-1C2D3E4F5A6B",
        "3f1c2a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6",
        "3f1c2a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6bb",
        "3f1c2a9e08b7d-4e6f-9a0b-1c2d3e4f5a6b",
        "3f1c2a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6g",
        "3f1c2a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6/",
        "",
        "click",
        "page_view",
        "checkout.step-2",
        "a",
        "Click",
        "1click",
        "_click",
        "click me",
        "cl!ck",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "caf\u00e9"
      })
  void fastChecksAgreeWithTheContract(String value) {
    var node = com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
    String uuid = EventParser.canonicalUuid(node);
    if (uuid != null) {
      assertThat(dev.floe.contract.EventContract.eventId(node, true)).isNull();
      assertThat(uuid).isEqualTo(java.util.UUID.fromString(value).toString());
    }
    assertThat(EventParser.isPlainType(node))
        .isEqualTo(dev.floe.contract.EventContract.type(node) == null);
    assertThat(EventParser.canonicalUuid(com.fasterxml.jackson.databind.node.IntNode.valueOf(1)))
        .isNull();
    assertThat(EventParser.isPlainType(null)).isFalse();
  }

  @Test
  void columnNamesAreLowerCaseIdentifiers() {
    assertThat(ExtraFields.columnName("cartValue")).isEqualTo("cart_value");
    assertThat(ExtraFields.columnName("Price-EUR")).isEqualTo("price_eur");
    assertThat(ExtraFields.columnName("2fa")).isEqualTo("_2fa");
    assertThat(ExtraFields.columnName("utm.source")).isEqualTo("utm_source");
    assertThat(ExtraFields.columnName("already_snake")).isEqualTo("already_snake");
  }

  @Test
  void optionalFieldsMayBeAbsentOrNull() throws Exception {
    Event e =
        EventParser.parse(
            bytes(
                "{\"eventId\":\""
                    + ID
                    + "\",\"type\":\"click\",\"userId\":null,\"occurredAt\":\"2025-03-01T10:15:30Z\"}"));
    assertThat(e.userId).isNull();
    assertThat(e.properties).isNull();
    assertThat(e.source).isNull();
    assertThat(e.producedAt).isNull();
  }

  static Stream<Arguments> badRecords() {
    String ok = "\"type\":\"click\",\"occurredAt\":\"2025-03-01T10:15:30Z\"";
    return Stream.of(
        Arguments.of(new byte[0], Reason.EMPTY_PAYLOAD),
        Arguments.of(bytes("   "), Reason.EMPTY_PAYLOAD),
        Arguments.of(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, Reason.NOT_UTF8),
        Arguments.of(invalidUtf8InsideAString(), Reason.NOT_UTF8),
        Arguments.of(invalidUtf8InsideAnIgnoredNestedField(), Reason.NOT_UTF8),
        Arguments.of(
            bytes("{\"eventId\":\"not-a-uuid\"," + ok + "} trailing"), Reason.MALFORMED_JSON),
        Arguments.of(bytes("[1,2] [3]"), Reason.MALFORMED_JSON),
        Arguments.of(bytes("{\"eventId\":"), Reason.MALFORMED_JSON),
        Arguments.of(bytes("{\"a\":1} {\"b\":2}"), Reason.MALFORMED_JSON),
        Arguments.of(bytes("{\"a\":1,\"a\":2}"), Reason.MALFORMED_JSON),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"type\":\"x\"}"), Reason.MALFORMED_JSON),
        Arguments.of(
            bytes("{\"eventId\":null," + ok + ",\"eventId\":null}"), Reason.MALFORMED_JSON),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"properties\":{\"a\":1,\"a\":2}}"),
            Reason.MALFORMED_JSON),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"x\":[{\"a\":1,\"a\":2}]}"),
            Reason.MALFORMED_JSON),
        Arguments.of(bytes("[{\"a\":1,\"a\":2}]"), Reason.MALFORMED_JSON),
        Arguments.of(bytes("[1,2]"), Reason.NOT_AN_OBJECT),
        Arguments.of(bytes("\"text\""), Reason.NOT_AN_OBJECT),
        Arguments.of(bytes("{" + ok + "}"), Reason.MISSING_EVENT_ID),
        Arguments.of(bytes("{\"eventId\":null," + ok + "}"), Reason.MISSING_EVENT_ID),
        Arguments.of(bytes("{\"eventId\":\"not-a-uuid\"," + ok + "}"), Reason.INVALID_EVENT_ID),
        Arguments.of(bytes("{\"eventId\":42," + ok + "}"), Reason.INVALID_EVENT_ID),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\",\"occurredAt\":\"2025-03-01T10:15:30Z\"}"),
            Reason.MISSING_TYPE),
        Arguments.of(
            bytes(
                "{\"eventId\":\""
                    + ID
                    + "\",\"type\":\"Page View\",\"occurredAt\":\"2025-03-01T10:15:30Z\"}"),
            Reason.INVALID_TYPE),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"userId\":7}"), Reason.INVALID_USER_ID),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\",\"type\":\"click\"}"), Reason.MISSING_OCCURRED_AT),
        Arguments.of(
            bytes(
                "{\"eventId\":\""
                    + ID
                    + "\",\"type\":\"click\",\"occurredAt\":\"2025-03-01 10:15:30\"}"),
            Reason.INVALID_OCCURRED_AT),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"properties\":[1]}"),
            Reason.INVALID_PROPERTIES),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"properties\":{\"a\":{\"b\":1}}}"),
            Reason.INVALID_PROPERTIES),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"source\":\"\"}"),
            Reason.INVALID_SOURCE),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"producedAt\":\"yesterday\"}"),
            Reason.INVALID_PRODUCED_AT),
        Arguments.of(
            bytes("{\"eventId\":\"" + ID + "\"," + ok + ",\"user_id\":\"u-1\"}"),
            Reason.INVALID_EXTRA_FIELD));
  }

  @ParameterizedTest
  @MethodSource("badRecords")
  void everyKindOfBadRecordHasItsOwnReason(byte[] payload, Reason reason) {
    InvalidEventException e =
        catchThrowableOfType(InvalidEventException.class, () -> EventParser.parse(payload));
    assertThat(e).as("expected %s", reason).isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage()).isNotBlank();
  }

  @Test
  void everyReasonIsCovered() {
    // SCHEMA_CONFLICT is decided against the table, after parsing (EvolveTableSchema), and
    // RETENTION_GAP stands for records Kafka deleted unread (RetentionGaps), not a record parsed
    assertThat(badRecords().map(a -> a.get()[1]).distinct())
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(Reason.values())
                .filter(r -> r != Reason.SCHEMA_CONFLICT && r != Reason.RETENTION_GAP)
                .toArray());
  }

  private static byte[] invalidUtf8InsideAString() {
    return withLoneLatin1(
        "{\"eventId\":\""
            + ID
            + "\",\"type\":\"click\",\"occurredAt\":\"2025-03-01T10:15:30Z\",\"source\":\"ab\"}",
        3);
  }

  /** Nested values outside the contract are ignored, but they are still read as UTF-8. */
  private static byte[] invalidUtf8InsideAnIgnoredNestedField() {
    return withLoneLatin1(
        "{\"eventId\":\""
            + ID
            + "\",\"type\":\"click\",\"occurredAt\":\"2025-03-01T10:15:30Z\",\"meta\":{\"x\":\"ab\"}}",
        4);
  }

  /** The JSON with the byte {@code fromEnd} bytes before its end replaced by a lone Latin-1 é. */
  private static byte[] withLoneLatin1(String json, int fromEnd) {
    byte[] broken = bytes(json);
    broken[broken.length - fromEnd] = (byte) 0xE9;
    return broken;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
