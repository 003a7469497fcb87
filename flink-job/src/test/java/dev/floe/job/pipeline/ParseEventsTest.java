package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.DeadLetter;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseEventsTest {
  private static final String A = "0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6b";

  @Test
  void badRecordsAreDeadLetteredWithTheirReasonAndValidOnesKeepTheirKey() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, RawRecord, Event> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ParseEvents()), EventKey.RAW, EventKey.TYPE);
    try {
      harness.open();
      harness.processElement(record("{\"eventId\":\"" + A + "\",\"type\":\"Bad Type\"}", 1));
      harness.processElement(record("not json", 2));
      harness.processElement(
          record("{\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}", 3));
      StreamRecord<RawRecord> valid =
          record(
              "{\"eventId\":\""
                  + A
                  + "\",\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}",
              4);
      harness.processElement(valid);

      List<Event> out = harness.extractOutputValues();
      assertThat(out).extracting(e -> e.kafkaOffset).containsExactly(4L);
      assertThat(EventKey.EVENT.getKey(out.get(0)))
          .isEqualTo(EventKey.RAW.getKey(valid.getValue()));
      List<DeadLetter> letters =
          harness.getSideOutput(DeadLetters.DEAD_LETTERS).stream().map(r -> r.getValue()).toList();
      assertThat(letters)
          .extracting(d -> d.reason)
          .containsExactly("INVALID_TYPE", "MALFORMED_JSON", "MISSING_EVENT_ID");
      assertThat(letters).extracting(d -> d.offset).containsExactly(1L, 2L, 3L);
      assertThat(letters.get(1).payload).isEqualTo("not json");
    } finally {
      harness.close();
    }
  }

  private static StreamRecord<RawRecord> record(String json, long offset) {
    RawRecord r = new RawRecord("events.raw", 0, offset, 0L, json.getBytes(StandardCharsets.UTF_8));
    EventIds.assign(r);
    return new StreamRecord<>(r);
  }
}
