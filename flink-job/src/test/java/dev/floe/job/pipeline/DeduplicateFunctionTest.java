package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.job.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateFunctionTest {

  private static final Duration TTL = Duration.ofMinutes(10);

  private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new DeduplicateFunction(TTL)), e -> e.eventId, Types.STRING);
    harness.setStateTtlProcessingTime(0L);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void firstEventOfAnIdPassesLaterOnesAreDropped() throws Exception {
    harness.processElement(record(event("a", 1)));
    harness.processElement(record(event("b", 2)));
    harness.processElement(record(event("a", 3)));
    harness.processElement(record(event("a", 4)));

    assertThat(outputOffsets()).containsExactly(1L, 2L);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
  }

  @Test
  void anIdIsForgottenAndItsStateRemovedAfterTheTtl() throws Exception {
    harness.processElement(record(event("a", 1)));
    harness.processElement(record(event("b", 2)));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

    // a duplicate within the TTL is dropped and does not extend it
    harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
    harness.processElement(record(event("a", 3)));
    assertThat(outputOffsets()).containsExactly(1L, 2L);

    harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
    harness.processElement(record(event("c", 4)));

    // incremental cleanup visits a few entries per record: within a handful of records the
    // expired ids are gone and only "c" is held
    for (int i = 0; i < 10 && harness.numKeyedStateEntries() > 1; i++) {
      harness.processElement(record(event("c", 100 + i)));
    }
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // and "a" is no longer a duplicate
    harness.processElement(record(event("a", 5)));
    assertThat(outputOffsets()).containsExactly(1L, 2L, 4L, 5L);
  }

  @Test
  void stateSurvivesASnapshotAndRestore() throws Exception {
    harness.processElement(record(event("a", 1)));
    var snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new DeduplicateFunction(TTL)), e -> e.eventId, Types.STRING);
    harness.setStateTtlProcessingTime(1L);
    harness.initializeState(snapshot);
    harness.open();
    harness.processElement(record(event("a", 2)));
    harness.processElement(record(event("b", 3)));

    assertThat(outputOffsets()).containsExactly(3L);
  }

  private List<Long> outputOffsets() {
    return harness.extractOutputValues().stream().map(e -> e.kafkaOffset).toList();
  }

  private static StreamRecord<Event> record(Event e) {
    return new StreamRecord<>(e);
  }

  private static Event event(String id, long offset) {
    Event e = new Event();
    e.eventId = id;
    e.type = "click";
    e.occurredAt = Instant.parse("2025-01-01T00:00:00Z");
    e.kafkaOffset = offset;
    return e;
  }
}
