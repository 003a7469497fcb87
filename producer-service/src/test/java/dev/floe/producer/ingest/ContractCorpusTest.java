package dev.floe.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.floe.contract.EventCorpus;
import dev.floe.producer.config.ProducerSettings;
import dev.floe.producer.config.TestConfigs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared corpus through the service's intake: accepted cases become one record for events.raw,
 * refused ones a 400 naming the corpus's field (the job runs the same corpus through its parser).
 */
class ContractCorpusTest {
  private final ProducerSettings settings =
      TestConfigs.settings(Map.of("floe.producer.replica-id", "r1"));
  private final EventIntake intake = new EventIntake(settings, new ReplicaId(settings));

  static List<EventCorpus.Case> corpus() {
    return EventCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theIntakeGivesTheCorpusOutcome(EventCorpus.Case c) {
    if (c.accepted()) {
      List<RawEvent> records = intake.read(c.body());
      assertThat(records).hasSize(1);
      assertThat(records.get(0).type()).isEqualTo(c.event().get("type").asText());
    } else {
      RejectedInputException e =
          catchThrowableOfType(RejectedInputException.class, () -> intake.read(c.body()));
      assertThat(e).as("refused").isNotNull();
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.violations())
          .extracting(Violation::field)
          .contains(c.field().isEmpty() ? "body" : c.field());
    }
  }
}
