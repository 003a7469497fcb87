package dev.floe.lake.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The short version of the operator's faults inside {@code ./mvnw verify}, on one lake that is
 * stopped and started again between them: the catalog database lost, records deleted by Kafka's
 * retention before the job read them, a backup restored into an emptied data directory, the
 * checkpoint directory out of space. The full run is {@link FaultRun} ({@code -Pfaults}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryFaultsIT {

  private static final long SEED = 20261206L;
  private static FaultLake lake;

  @BeforeAll
  static void startLake() throws Exception {
    lake = FaultLake.start(1, System.out::println);
  }

  @AfterAll
  static void stopLake() {
    if (lake != null) {
      lake.close();
    }
  }

  @Test
  @Order(1)
  void aLostCatalogDatabaseGetsEveryRowBackAndLosesOrDuplicatesNothing() {
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, SEED, System.out::println).catalogLoss(2_000, 500);
    System.out.println(o.line());
    assertThat(o.failures()).isEmpty();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inLake()).isEqualTo(o.acknowledged());
    assertThat(o.inClean()).isEqualTo(o.acknowledged());
  }

  @Test
  @Order(2)
  void aRetentionGapIsDeadLetteredAsARangeAndEveryEventKafkaStillHasLandsOnce() {
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, SEED, System.out::println).retentionGap(2_000, 500);
    System.out.println(o.line());
    assertThat(o.failures()).isEmpty();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inLake()).isEqualTo(o.acknowledged());
    assertThat(o.inClean()).isEqualTo(o.acknowledged());
  }

  @Test
  @Order(3)
  void aBackupRestoredIntoAnEmptiedDataDirectoryAnswersTheSame() throws Exception {
    java.nio.file.Path backup =
        java.nio.file.Path.of("target", "faults-backup", java.util.UUID.randomUUID().toString())
            .toAbsolutePath();
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, SEED, System.out::println).restore(2_000, 500, backup);
    System.out.println(o.line());
    assertThat(o.failures()).isEmpty();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inLake()).isEqualTo(o.acknowledged());
    assertThat(o.inClean()).isEqualTo(o.acknowledged());
  }

  @Test
  @Order(4)
  void withTheCheckpointDiskFullNothingIsLostAndOnceFreedTheLakeCatchesUpExactly() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        FaultLake.canMountTmpfs(), "mount -t tmpfs is refused here (not root): disk-full not run");
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, SEED, System.out::println).diskFull(2_000, 500);
    System.out.println(o.line());
    assertThat(o.failures()).isEmpty();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inLake()).isEqualTo(o.acknowledged());
    assertThat(o.inClean()).isEqualTo(o.acknowledged());
  }
}
