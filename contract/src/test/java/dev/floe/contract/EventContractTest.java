package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventContractTest {

  static List<EventCorpus.Case> corpus() {
    return EventCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theContractGivesTheCorpusOutcome(EventCorpus.Case c) {
    List<EventContract.Finding> findings = EventContract.check(c.fields(), false);
    if (c.accepted()) {
      assertThat(findings).isEmpty();
    } else {
      assertThat(findings).isNotEmpty();
      assertThat(findings.get(0).problem().name()).isEqualTo(c.reason());
      assertThat(findings).extracting(EventContract.Finding::field).contains(c.field());
    }
  }

  @Test
  void theCorpusCoversEveryProblemButTheProducersOwnFields() {
    assertThat(corpus().stream().filter(c -> !c.accepted()).map(EventCorpus.Case::reason))
        .contains(
            "MISSING_TYPE",
            "INVALID_TYPE",
            "INVALID_EVENT_ID",
            "INVALID_USER_ID",
            "MISSING_OCCURRED_AT",
            "INVALID_OCCURRED_AT",
            "INVALID_PROPERTIES",
            "INVALID_EXTRA_FIELD");
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(50);
  }

  @Test
  void extraFieldsBecomeSnakeCaseColumns() {
    assertThat(EventContract.columnName("cartValue")).isEqualTo("cart_value");
    assertThat(EventContract.columnName("Price-EUR")).isEqualTo("price_eur");
    assertThat(EventContract.columnName("2fa")).isEqualTo("_2fa");
    assertThat(EventContract.columnName("userId")).isEqualTo("user_id");
  }
}
