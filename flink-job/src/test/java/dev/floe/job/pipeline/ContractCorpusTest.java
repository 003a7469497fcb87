package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.floe.contract.EventCorpus;
import dev.floe.job.model.Event;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared corpus through the job's parser, each event as the producer writes it to events.raw: a
 * case producer-service accepts must reach the table, a case it refuses must be dead-lettered with
 * the corpus's reason (producer-service runs the same corpus through its intake).
 */
class ContractCorpusTest {

  static List<EventCorpus.Case> corpus() {
    return EventCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theParserGivesTheCorpusOutcome(EventCorpus.Case c) throws Exception {
    if (c.accepted()) {
      Event event = EventParser.parse(c.rawRecord());
      assertThat(event.type).isEqualTo(c.event().get("type").asText());
    } else {
      InvalidEventException e =
          catchThrowableOfType(InvalidEventException.class, () -> EventParser.parse(c.rawRecord()));
      assertThat(e).as("dead-lettered").isNotNull();
      assertThat(e.reason().name()).isEqualTo(c.reason());
      if (!c.field().isEmpty()) {
        assertThat(e.getMessage()).startsWith(c.field());
      }
    }
  }
}
