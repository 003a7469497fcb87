package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.view.DeadLetterReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ViewsTest {

  @Test
  void aDeadLetterShowsItsReasonOriginAndPayload() {
    String record =
        "{\"reason\":\"MALFORMED_JSON\",\"detail\":\"payload is not valid JSON\","
            + "\"payload\":\"this is not json\",\"payloadEncoding\":\"utf-8\",\"topic\":\"events.raw\","
            + "\"partition\":1,\"offset\":94,\"timestamp\":\"2026-11-21T21:36:07.900Z\","
            + "\"deadLetteredAt\":\"2026-11-21T21:36:08.044Z\"}";
    DeadLetterReader.Letter d =
        DeadLetterReader.Letter.of(record.getBytes(StandardCharsets.UTF_8), 0L, 7L);
    assertThat(d.reason()).isEqualTo("MALFORMED_JSON");
    assertThat(d.from()).isEqualTo("events.raw/1@94");
    assertThat(DeadLetterView.render(d))
        .isEqualTo(
            "2026-11-21T21:36:08.044Z  MALFORMED_JSON  from events.raw/1@94\n"
                + "    detail:  payload is not valid JSON\n"
                + "    payload: this is not json");
  }

  @Test
  void theStatusViewNamesEveryPartAndWhatIsMissing() {
    Map<String, String> components = new LinkedHashMap<>();
    components.put("lake", "running (pid 1)");
    components.put("flink-job", "stopped");
    String text =
        new LakeStatus.Report(
                components,
                Optional.of("RUNNING"),
                Optional.of(
                    "2026-11-21T21:36:00Z java.io.IOException: No space left on device (3 failed"
                        + " checkpoints; the job restarts from its last checkpoint)"),
                Optional.of(
                    new LakeStatus.Checkpoint(
                        114, Instant.parse("2026-11-21T21:36:17.424Z"), "Flink REST API")),
                Optional.of(new LakeStatus.CommitMode(true, 10_000)),
                Optional.of(
                    new LakeStatus.Commit(
                        69L, Instant.parse("2026-11-21T21:36:21.392Z"), "append")),
                Optional.of(506L),
                Optional.of(178L),
                Optional.empty(),
                Optional.of(
                    new RetentionView(
                        Optional.of(java.time.Duration.ofDays(7)),
                        Optional.of(java.time.Duration.ofHours(90)),
                        List.of(
                            "partition 1: offsets 0-499 deleted by retention before the job read"
                                + " them"))),
                Optional.of("registered from file:/w/lake/events/metadata/00042-a.metadata.json"),
                List.of("checkpoints      0 KB free of 64 MB: FULL"),
                List.of("Kafka: timed out"))
            .render();
    assertThat(text)
        .contains("  flink-job        stopped\n")
        .contains(
            "  last failure     2026-11-21T21:36:00Z java.io.IOException: No space left on device")
        .contains("  last checkpoint  #114 at 2026-11-21T21:36:17.424Z (Flink REST API)\n")
        .contains("  commit interval  10 s (draining a backlog)\n")
        .contains("  consumer lag     unknown\n")
        .contains("  last commit      snapshot 69 at 2026-11-21T21:36:21.392Z (append)\n")
        .contains("  rows             506\n")
        .contains("  data files       178\n")
        .contains(
            "  retention        WARNING: oldest unread record 3.8 d old, past half of"
                + " events.raw's retention (7.0 d)")
        .contains(
            "  RETENTION GAP    partition 1: offsets 0-499 deleted by retention before the job"
                + " read them\n")
        .contains("  on a gap         " + RetentionView.ON_GAP + "\n")
        .contains(
            "  RECOVERED        registered from"
                + " file:/w/lake/events/metadata/00042-a.metadata.json\n")
        .contains("Disks\n  checkpoints      0 KB free of 64 MB: FULL\n")
        .endsWith("note: Kafka: timed out\n");
  }

  @Test
  void theCommitIntervalSaysWhetherTheJobDrainsABacklog() {
    assertThat(new LakeStatus.CommitMode(false, 1000).render()).isEqualTo("1 s (caught up)");
    assertThat(new LakeStatus.CommitMode(true, 10_000).render())
        .isEqualTo("10 s (draining a backlog)");
    assertThat(new LakeStatus.CommitMode(false, 500).render()).isEqualTo("500 ms (caught up)");
  }

  @Test
  void statusListsEveryComponentTheLakeStartsWithItsRestarts(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir) throws Exception {
    java.nio.file.Files.createDirectories(dataDir.resolve("run"));
    java.nio.file.Files.writeString(
        dataDir.resolve("run").resolve(Lake.FLINK_JOB + ".restarts"),
        "restarts=2\nlastCrash=2026-12-01T05:00:00Z\nlastRestart=2026-12-01T05:00:12Z\n");
    Map<String, String> components = LakeStatus.components(dataDir);
    assertThat(components.keySet())
        .containsSubsequence(
            Lake.LAUNCHER,
            "kafka",
            "postgres",
            "trino",
            Lake.FLINK_JOB,
            Lake.producerName(0),
            Lake.QUERY_SERVICE,
            Lake.CATALOG_SERVICE,
            Lake.CONSOLE);
    assertThat(components.get(Lake.FLINK_JOB))
        .isEqualTo("stopped, restarted 2 times, last back at 2026-12-01T05:00:12Z");
  }
}
