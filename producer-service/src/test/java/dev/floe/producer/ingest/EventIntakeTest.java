package dev.floe.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.EventContract;
import dev.floe.producer.config.ProducerSettings;
import dev.floe.producer.config.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIntakeTest {
  private final ProducerSettings settings =
      TestConfigs.settings(
          Map.of("floe.producer.replica-id", "r1", "floe.producer.max-batch-size", "3"));
  private final EventIntake intake = new EventIntake(settings, new ReplicaId(settings));

  private List<RawEvent> read(String json) {
    return intake.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void normalisesAndCompletesAnEvent() {
    RawEvent e =
        read("""
                {"eventId":"0B7E4E8A-3A1B-4F61-9A5E-0E8F1D2C3B4A","type":"add_to_cart",
                 "occurredAt":"2026-03-01T12:00:00.5+02:00","properties":{"qty":2}}
                """)
            .get(0);
    assertThat(e.eventId()).isEqualTo("0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a");
    assertThat(e.occurredAt()).isEqualTo("2026-03-01T10:00:00.500Z");
    assertThat(e.source()).isEqualTo("r1");
    assertThat(e.userId()).isNull();
    assertThat(e.kafkaKey()).isEqualTo(e.eventId());
    assertThat(e.properties()).containsEntry("qty", 2);
  }

  @Test
  void wrongTypesAreNamedNotCoerced() {
    assertThatThrownBy(
            () -> read("[{\"type\":\"a\",\"occurredAt\":\"2026-03-01T12:00:00Z\",\"userId\":7}]"))
        .isInstanceOfSatisfying(
            RejectedInputException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.violations())
                  .containsExactly(new Violation("events[0].userId", "must be a string"));
            });
  }

  @Test
  void everyViolationOfEveryEventIsReported() {
    assertThatThrownBy(
            () ->
                read(
                    "[{\"type\":\"A\",\"occurredAt\":\"x\"},"
                        + "{\"type\":\"ok\",\"occurredAt\":\"2026-03-01T12:00:00Z\","
                        + "\"properties\":{\"k\":[1]}}]"))
        .isInstanceOfSatisfying(
            RejectedInputException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly(
                        "events[0].occurredAt", "events[0].type", "events[1].properties.k"));
  }

  @Test
  void batchOverTheMaximumIs413() {
    String one = "{\"type\":\"a\",\"occurredAt\":\"2026-03-01T12:00:00Z\"}";
    assertThat(read("[" + one + "," + one + "," + one + "]")).hasSize(3);
    assertThatThrownBy(() -> read("[" + one + "," + one + "," + one + "," + one + "]"))
        .isInstanceOfSatisfying(
            RejectedInputException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.error()).isEqualTo("batch_too_large");
              assertThat(e.getMessage()).contains("floe.producer.max-batch-size");
            });
  }

  @Test
  void longPropertyValuesAreRefused() {
    String longValue = "x".repeat(EventContract.MAX_STRING_LENGTH + 1);
    assertThatThrownBy(
            () ->
                read(
                    "{\"type\":\"a\",\"occurredAt\":\"2026-03-01T12:00:00Z\","
                        + "\"properties\":{\"note\":\""
                        + longValue
                        + "\"}}"))
        .isInstanceOfSatisfying(
            RejectedInputException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("properties.note"));
  }
}
