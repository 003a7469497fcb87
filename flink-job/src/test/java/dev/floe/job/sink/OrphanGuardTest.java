package dev.floe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.io.FileInfo;
import org.junit.jupiter.api.Test;

/** The orphan-cleanup guard's decision, rule by rule ({@link OrphanGuard#refusal}). */
class OrphanGuardTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final Duration MIN_AGE = Duration.ofDays(1);
  private static final String CURRENT = "file:/w/lake/events/metadata/00007-a.metadata.json";
  private static final String PREVIOUS = "file:/w/lake/events/metadata/00006-b.metadata.json";

  private static OrphanGuard.Facts facts(
      List<WarehouseMetadata.MetadataFile> files,
      Optional<Instant> createdAt,
      Optional<Instant> recoveredAt,
      Optional<Instant> oldestFile) {
    return new OrphanGuard.Facts(
        CURRENT,
        Set.of(CURRENT, PREVIOUS),
        files,
        createdAt,
        recoveredAt,
        oldestFile.map(
            t -> new FileInfo("file:/w/lake/events/data/x.parquet", 1, t.toEpochMilli())));
  }

  @Test
  void orphanCleanupRunsOnATableWhoseHistoryIsWhole() {
    assertThat(
            OrphanGuard.refusal(
                facts(
                    List.of(
                        new WarehouseMetadata.MetadataFile(7, CURRENT, 0),
                        new WarehouseMetadata.MetadataFile(6, PREVIOUS, 0),
                        // older than the log keeps: history the table has let go
                        new WarehouseMetadata.MetadataFile(2, "file:/w/00002-z.metadata.json", 0)),
                    Optional.of(NOW.minus(Duration.ofDays(30))),
                    Optional.of(NOW.minus(Duration.ofDays(2))),
                    Optional.of(NOW.minus(Duration.ofDays(29)))),
                NOW,
                MIN_AGE))
        .isEmpty();
  }

  @Test
  void orphanCleanupRefusesWhileANewerMetadataFileThanTheCurrentExists() {
    assertThat(
            OrphanGuard.refusal(
                facts(
                    List.of(
                        new WarehouseMetadata.MetadataFile(8, "file:/w/00008-c.metadata.json", 0),
                        new WarehouseMetadata.MetadataFile(7, CURRENT, 0)),
                    Optional.of(NOW.minus(Duration.ofDays(30))),
                    Optional.empty(),
                    Optional.of(NOW.minus(Duration.ofDays(29)))),
                NOW,
                MIN_AGE))
        .hasValueSatisfying(r -> assertThat(r).contains("00008-c.metadata.json", "history"));
  }

  @Test
  void orphanCleanupRefusesWhileAMetadataFileInTheLogsRangeIsNotInTheHistory() {
    assertThat(
            OrphanGuard.refusal(
                facts(
                    List.of(
                        new WarehouseMetadata.MetadataFile(7, CURRENT, 0),
                        new WarehouseMetadata.MetadataFile(
                            7, "file:/w/00007-lost.metadata.json", 0),
                        new WarehouseMetadata.MetadataFile(6, PREVIOUS, 0)),
                    Optional.of(NOW.minus(Duration.ofDays(30))),
                    Optional.empty(),
                    Optional.of(NOW.minus(Duration.ofDays(29)))),
                NOW,
                MIN_AGE))
        .hasValueSatisfying(r -> assertThat(r).contains("00007-lost.metadata.json"));
  }

  @Test
  void orphanCleanupRefusesForTheMinimumAgeAfterARecovery() {
    Optional<String> refusal =
        OrphanGuard.refusal(
            facts(
                List.of(new WarehouseMetadata.MetadataFile(7, CURRENT, 0)),
                Optional.of(NOW.minus(Duration.ofDays(30))),
                Optional.of(NOW.minus(Duration.ofHours(23))),
                Optional.of(NOW.minus(Duration.ofDays(29)))),
            NOW,
            MIN_AGE);
    assertThat(refusal).hasValueSatisfying(r -> assertThat(r).contains("recovered"));
  }

  @Test
  void orphanCleanupRefusesWhenFilesAreOlderThanTheTable() {
    // the old behaviour's case: a new table created over the files of a forgotten one
    Optional<String> refusal =
        OrphanGuard.refusal(
            facts(
                List.of(new WarehouseMetadata.MetadataFile(7, CURRENT, 0)),
                Optional.of(NOW.minus(Duration.ofDays(2))),
                Optional.empty(),
                Optional.of(NOW.minus(Duration.ofDays(9)))),
            NOW,
            MIN_AGE);
    assertThat(refusal)
        .hasValueSatisfying(r -> assertThat(r).contains("x.parquet", "older than the table"));
  }

  @Test
  void metadataFileNamesGiveTheirVersion() {
    assertThat(
            WarehouseMetadata.version(
                "file:/w/t/metadata/00012-0f6e8a3c-1b2d-4c5e-9f00-123456789abc.metadata.json"))
        .contains(12);
    assertThat(
            WarehouseMetadata.version(
                "gs://b/t/metadata/00003-0f6e8a3c-1b2d-4c5e-9f00-123456789abc.gz.metadata.json"))
        .contains(3);
    assertThat(WarehouseMetadata.version("file:/w/t/metadata/snap-1-1-abc.avro")).isEmpty();
    assertThat(WarehouseMetadata.version("file:/w/t/metadata/v3.metadata.json")).isEmpty();
  }
}
