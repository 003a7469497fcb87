package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.DeadLetter;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeduplicateFunctionTest {

  private static final Duration TTL = Duration.ofMinutes(10);
  private static final String A = "0b7e6a4c-1f0e-4d8e-9a7b-1c2d3e4f5a6b";
  private static final String B = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
  private static final String C = "11111111-2222-4333-8444-555555555555";

  private KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, RawRecord, Event> harness;

  private void open(String backend) throws Exception {
    open(backend, null, 0L);
  }

  private void open(String backend, OperatorSubtaskState restore, long now) throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new DeduplicateFunction(TTL)),
            DeduplicateFunction.KEY,
            DeduplicateFunction.KEY_TYPE);
    harness.setStateBackend(stateBackend(backend));
    harness.setStateTtlProcessingTime(now);
    if (restore != null) {
      harness.initializeState(restore);
    }
    harness.open();
  }

  private static StateBackend stateBackend(String name) {
    return name.equals("rocksdb")
        ? new EmbeddedRocksDBStateBackend(true)
        : new HashMapStateBackend();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void firstEventOfAnIdPassesLaterOnesAreDroppedWhateverTheSpelling(String backend)
      throws Exception {
    open(backend);
    harness.processElement(raw(A, 1));
    harness.processElement(raw(B, 2));
    harness.processElement(raw(A, 3));
    harness.processElement(raw(A.toUpperCase(Locale.ROOT), 4));

    assertThat(outputOffsets()).containsExactly(1L, 2L);
    assertThat(harness.extractOutputValues().get(0).eventId).isEqualTo(A);
    assertThat(harness.extractOutputValues().get(0).ingestedAt).isNotNull();
    assertThat(heldIds(backend)).isIn(2, -1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aBadRecordIsDeadLetteredWithItsReasonAndHoldsNoState(String backend) throws Exception {
    open(backend);
    harness.processElement(record("{\"eventId\":\"" + A + "\",\"type\":\"Bad Type\"}", 1));
    harness.processElement(record("not json", 2));
    harness.processElement(
        record("{\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}", 3));
    // the bad record with A's id did not claim it
    harness.processElement(raw(A, 4));

    assertThat(outputOffsets()).containsExactly(4L);
    List<DeadLetter> letters =
        harness.getSideOutput(DeadLetters.DEAD_LETTERS).stream().map(r -> r.getValue()).toList();
    assertThat(letters)
        .extracting(d -> d.reason)
        .containsExactly("INVALID_TYPE", "MALFORMED_JSON", "MISSING_EVENT_ID");
    assertThat(letters).extracting(d -> d.offset).containsExactly(1L, 2L, 3L);
    assertThat(heldIds(backend)).isIn(1, -1);
  }

  @Test
  void anIdIsForgottenAndItsStateRemovedAfterTheTtl() throws Exception {
    open("hashmap");
    harness.processElement(raw(A, 1));
    harness.processElement(raw(B, 2));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

    // a duplicate within the TTL is dropped and does not extend it
    harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
    harness.processElement(raw(A, 3));
    assertThat(outputOffsets()).containsExactly(1L, 2L);

    harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
    harness.processElement(raw(C, 4));

    // incremental cleanup visits a few entries per record: within a handful of records the
    // expired ids are gone and only C is held
    for (int i = 0; i < 10 && harness.numKeyedStateEntries() > 1; i++) {
      harness.processElement(raw(C, 100 + i));
    }
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // and A is no longer a duplicate
    harness.processElement(raw(A, 5));
    assertThat(outputOffsets()).containsExactly(1L, 2L, 4L, 5L);
  }

  @Test
  void anExpiredIdIsNotADuplicateOnRocksDb() throws Exception {
    open("rocksdb");
    harness.processElement(raw(A, 1));
    harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
    harness.processElement(raw(A, 2));
    assertThat(outputOffsets()).containsExactly(1L, 2L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aRetriedEventIsStillDroppedAfterARestoreFromACheckpoint(String backend) throws Exception {
    open(backend);
    harness.processElement(raw(A, 1));
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    open(backend, snapshot, 1L);
    harness.processElement(raw(A, 2));
    harness.processElement(raw(B, 3));

    assertThat(outputOffsets()).containsExactly(3L);
  }

  /** Ids held; -1 on RocksDB, whose harness cannot count them (behaviour shows them there). */
  private int heldIds(String backend) {
    return backend.equals("rocksdb") ? -1 : harness.numKeyedStateEntries();
  }

  private List<Long> outputOffsets() {
    return harness.extractOutputValues().stream().map(e -> e.kafkaOffset).toList();
  }

  private static StreamRecord<RawRecord> raw(String id, long offset) {
    return record(
        "{\"eventId\":\""
            + id
            + "\",\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"userId\":\"u-"
            + UUID.randomUUID()
            + "\"}",
        offset);
  }

  private static StreamRecord<RawRecord> record(String json, long offset) {
    RawRecord r = new RawRecord("events.raw", 0, offset, 0L, json.getBytes(StandardCharsets.UTF_8));
    EventIds.assign(r);
    return new StreamRecord<>(r);
  }
}
