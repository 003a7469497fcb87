package dev.floe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.EventCorpus;
import dev.floe.job.model.Event;
import dev.floe.job.pipeline.EventParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * events.clean from the raw record when it is already canonical ({@link Event#canonicalJson}):
 * whatever the record, the clean sink's bytes are the ones the JSON generator writes for the event.
 */
class CanonicalCleanTest {
  private static final String ID = "0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a";

  /** Records the parser should find canonical: the producer's shape. */
  static Stream<String> canonical() {
    return Stream.of(
        "{\"eventId\":\""
            + ID
            + "\",\"type\":\"page_view\",\"userId\":\"u-1\","
            + "\"occurredAt\":\"2026-01-01T12:00:00.123456Z\","
            + "\"properties\":{\"page\":\"/p/1\",\"ref\":\"search\"},\"source\":\"bench\","
            + "\"producedAt\":\"2026-01-01T12:00:01.100Z\"}",
        "{\"eventId\":\"" + ID + "\",\"type\":\"click\",\"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{\"eventId\":\""
            + ID
            + "\",\"type\":\"click\",\"occurredAt\":\"2026-01-01T12:00:00Z\","
            + "\"properties\":{}}",
        "{\"eventId\":\""
            + ID
            + "\",\"type\":\"click\",\"userId\":\"Zoë-ü-€\","
            + "\"occurredAt\":\"1999-12-31T23:59:59.000001Z\",\"properties\":{\"k\":null,"
            + "\"ä\":\"/x\"},\"source\":\"s\"}");
  }

  /** Records that are not (or must not be taken as) canonical: the generator writes them. */
  static Stream<String> notCanonical() {
    String base = "\"eventId\":\"" + ID + "\",\"type\":\"click\"";
    return Stream.of(
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00.000Z\"}", // 000 fraction
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00.120000Z\"}", // 6 digits, ends in 000
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00.1Z\"}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00.123456789Z\"}", // truncated
        "{" + base + ",\"occurredAt\":\"2026-01-01T13:00:00+01:00\"}",
        "{\"type\":\"click\",\"eventId\":\"" + ID + "\",\"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{\"eventId\":\""
            + ID.toUpperCase()
            + "\",\"type\":\"click\","
            + "\"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{" + base + ", \"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\"} ",
        "{" + base + ",\"userId\":\"a\\\"b\",\"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{" + base + ",\"userId\":\"\\u0041\",\"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{" + base + ",\"userId\":null,\"occurredAt\":\"2026-01-01T12:00:00Z\"}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"properties\":null}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"properties\":{\"n\":5}}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"properties\":{\"b\":true}}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"properties\":{\"d\":1.50}}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"properties\":{\"s\":\"a b\"}}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"campaign\":\"spring\"}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"source\":null}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"producedAt\":null}",
        "{" + base + ",\"occurredAt\":\"2026-01-01T12:00:00Z\",\"source\":\"s\",\"userId\":\"u\"}",
        // beyond the BMP: the generator writes it as escaped surrogates
        "{" + base + ",\"userId\":\"\uD83D\uDE00\",\"occurredAt\":\"2026-01-01T12:00:00Z\"}");
  }

  /** The shared contract corpus: every case the contract accepts. */
  static List<String> corpus() {
    List<String> accepted = new ArrayList<>();
    for (EventCorpus.Case c : EventCorpus.cases()) {
      if (c.accepted()) {
        accepted.add(new String(c.rawRecord(), StandardCharsets.UTF_8));
      }
    }
    return accepted;
  }

  @ParameterizedTest
  @MethodSource("canonical")
  void aCanonicalRecordIsWrittenFromItsBytesAsTheGeneratorWritesIt(String raw) throws Exception {
    Event event = parsed(raw);
    assertThat(event.canonicalJson).as("taken as canonical").isNotNull();
    assertThat(new String(new JsonCodec.CleanWriter().write(event), StandardCharsets.UTF_8))
        .isEqualTo(new String(JsonCodec.clean(event), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("notCanonical")
  void anyOtherRecordIsWrittenByTheGenerator(String raw) throws Exception {
    Event event = parsed(raw);
    assertThat(event.canonicalJson).as("not taken as canonical").isNull();
    assertThat(new JsonCodec.CleanWriter().write(event)).isEqualTo(JsonCodec.clean(event));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void everyAcceptedCorpusRecordGetsTheGeneratorsBytes(String raw) throws Exception {
    Event event = parsed(raw);
    assertThat(new String(new JsonCodec.CleanWriter().write(event), StandardCharsets.UTF_8))
        .isEqualTo(new String(JsonCodec.clean(event), StandardCharsets.UTF_8));
  }

  private static Event parsed(String raw) throws Exception {
    Event event = EventParser.parse(raw.getBytes(StandardCharsets.UTF_8));
    event.ingestedAt = Instant.parse("2026-01-01T12:00:02.000300Z");
    return event;
  }
}
