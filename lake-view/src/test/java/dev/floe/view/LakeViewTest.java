package dev.floe.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.DeadLetter;
import dev.floe.contract.JobMetrics;
import dev.floe.contract.LakeNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LakeViewTest {

  @Test
  void aDeadLetterReadsAsTheViewsShowIt() {
    String record =
        "{\"reason\":\"MALFORMED_JSON\",\"detail\":\"payload is not valid JSON\","
            + "\"payload\":\"this is not json\",\"payloadEncoding\":\"utf-8\",\"topic\":\"events.raw\","
            + "\"partition\":1,\"offset\":94,\"timestamp\":\"2026-11-21T21:36:07.900Z\","
            + "\"deadLetteredAt\":\"2026-11-21T21:36:08.044Z\"}";
    assertThat(DeadLetterReader.Letter.of(record.getBytes(StandardCharsets.UTF_8), 0L, 7L))
        .isEqualTo(
            new DeadLetterReader.Letter(
                "MALFORMED_JSON",
                "payload is not valid JSON",
                "this is not json",
                DeadLetter.UTF_8,
                "events.raw/1@94",
                "2026-11-21T21:36:08.044Z",
                7L));
  }

  @Test
  void aRecordThatIsNotADeadLetterIsShownAsUnreadable() {
    DeadLetterReader.Letter d =
        DeadLetterReader.Letter.of("garbage".getBytes(StandardCharsets.UTF_8), 1_000L, 3L);
    assertThat(d.reason()).isEqualTo(DeadLetterReader.UNREADABLE);
    assertThat(d.payload()).isEqualTo("garbage");
    assertThat(d.deadLetteredAt()).isEqualTo("1970-01-01T00:00:01Z");
  }

  @Test
  void metadataTablesOfQualifiedAndPlainNames() {
    assertThat(TableFacts.metadataTable(LakeNames.TRINO_TABLE, "files"))
        .isEqualTo("iceberg.lake.\"events$files\"");
    assertThat(TableFacts.metadataTable(LakeNames.TABLE, "snapshots"))
        .isEqualTo("\"events$snapshots\"");
    assertThat(TableFacts.totals(LakeNames.TRINO_TABLE))
        .startsWith(
            "SELECT (SELECT count(*) FROM iceberg.lake.events), (SELECT count(*) FROM"
                + " iceberg.lake.\"events$files\" WHERE content = 0), ");
  }

  @Test
  void theRetentionWarningIsPastTheShare() {
    KafkaLag.Retention r =
        new KafkaLag.Retention(
            Optional.of(Duration.ofHours(2)), Optional.of(Duration.ofMinutes(61)), List.of());
    assertThat(r.pastShare(0.5)).isTrue();
    assertThat(r.pastShare(0.6)).isFalse();
    assertThat(
            new KafkaLag.Retention(Optional.empty(), r.oldestUnreadAge(), List.of()).pastShare(0))
        .isFalse();
  }

  @Test
  void countersAndTheFreshnessWindowAreSummedOtherGaugesMaxed() {
    assertThat(JobMetrics.summed(JobMetrics.RECORDS_IN_COUNTER)).isTrue();
    assertThat(JobMetrics.summed(JobMetrics.FRESHNESS_EVENTS_GAUGE)).isTrue();
    assertThat(JobMetrics.summed(JobMetrics.FRESHNESS_P99_GAUGE)).isFalse();
    assertThat(JobMetrics.restSuffix(JobMetrics.COMMIT_INTERVAL_GAUGE))
        .isEqualTo(JobMetrics.GROUP + "." + JobMetrics.COMMIT_INTERVAL_GAUGE);
  }
}
