package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.RepositoryDocs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's walkthrough is one {@code WholeLakeIT} can run (every command supported, every one
 * with documented output), and the comparison it uses fails on an edited line.
 */
class WalkthroughTest {

  @Test
  void everyTranscriptOfTheReadmeIsACommandTheTestRunsWithItsOutput() {
    List<Walkthrough.Step> steps = Walkthrough.parse(RepositoryDocs.readme());
    assertThat(steps).extracting(s -> s.argv().get(0)).contains("curl", "./floe");
    assertThat(steps)
        .allSatisfy(s -> assertThat(s.argv().get(0)).isIn("curl", "./floe"))
        .allSatisfy(s -> assertThat(s.expected()).as("output of %s", s.text()).isNotEmpty());
    assertThat(steps)
        .filteredOn(s -> s.argv().get(0).equals("./floe"))
        .extracting(s -> s.argv().get(1))
        .contains("status", "dlq", "raw");
  }

  @Test
  void aDocumentedLineMatchesOnlyWithItsPlaceholdersStandingForText() {
    List<String> printed =
        List.of("Components", "  lake             running (pid 4242)", "  kafka  running (pid 1)");
    assertThat(Walkthrough.mismatch(List.of("  lake             running (pid <pid>)"), printed))
        .isEmpty();
    assertThat(Walkthrough.mismatch(List.of("  lake             stopped"), printed))
        .hasValueSatisfying(m -> assertThat(m).contains("lake             stopped"));
    assertThat(Walkthrough.mismatch(List.of("  kafka  running (pid <pid>)", "Components"), printed))
        .as("documented lines keep their order")
        .isPresent();
    assertThat(
            Walkthrough.pattern("{\"queryId\":\"<query-id>\",\"elapsedMs\":<ms>}")
                .matcher("{\"queryId\":\"20261121_213637_00010_axibt\",\"elapsedMs\":5344}")
                .matches())
        .isTrue();
  }

  @Test
  void aCommandIsSplitAsTheShellSplitsIt() {
    assertThat(
            Walkthrough.words(
                "curl -s -G http://localhost:8081/query \\\n"
                    + "  --data-urlencode \"sql=SELECT 'a' FROM \\\"t\\\"\" -d '{\"x\": 1}'"))
        .containsExactly(
            "curl",
            "-s",
            "-G",
            "http://localhost:8081/query",
            "--data-urlencode",
            "sql=SELECT 'a' FROM \"t\"",
            "-d",
            "{\"x\": 1}");
  }
}
