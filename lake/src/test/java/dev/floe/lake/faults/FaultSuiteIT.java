package dev.floe.lake.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The short version of the fault and fuzz run, inside {@code ./mvnw verify}, on one lake: one
 * {@code kill -9} of the job, one of the broker, 600 fuzz cases of each kind, then the operator's
 * faults (the lake stopped and started again between them): the catalog database lost, records
 * deleted by Kafka's retention before the job read them, a backup restored into an emptied data
 * directory. The checkpoint disk running full has its short version at the job's level ({@code
 * DiskFullIT}); the full run of every scenario is {@link FaultRun} ({@code -Pfaults}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

  private static final long SEED = 20261201L;
  private static final long RECOVERY_SEED = 20261206L;
  private static FaultLake lake;

  @BeforeAll
  static void startLake() throws Exception {
    lake = FaultLake.start(2, System.out::println);
  }

  @AfterAll
  static void stopLake() {
    if (lake != null) {
      lake.close();
    }
  }

  @Test
  @Order(1)
  void aKilledJobIsRestartedAndLosesOrDuplicatesNothing() {
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, SEED, System.out::println).jobKills(6_000, 1000, 1);
    assertExactlyOnce(o);
    // ./floe status counts the restart
    assertThat(dev.floe.lake.LakeStatus.components(lake.dataDir).get(FaultLake.JOB))
        .startsWith("running (pid ")
        .contains("restarted 1 time");
  }

  @Test
  @Order(2)
  void aKilledBrokerIsRestartedAndLosesOrDuplicatesNothing() {
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, SEED, System.out::println).kafkaKill(6_000, 1000);
    System.out.println(o.line());
    assertThat(o.failures()).isEmpty();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inLake()).isEqualTo(o.acknowledged());
  }

  @Test
  @Order(3)
  void generatedBodiesGetA202OrAClear4xxAndOnlyAcceptedEventsReachTheTable() throws Exception {
    FuzzRun.Outcome o = new FuzzRun(lake, System.out::println).http(600, SEED);
    System.out.println(o.line() + " " + o.kinds());
    assertThat(o.failures()).isEmpty();
    assertThat(o.serverErrors()).isZero();
    assertThat(o.lost()).isZero();
    assertThat(o.accepted()).isPositive();
    assertThat(o.rejected4xx()).isPositive();
  }

  @Test
  @Order(4)
  void generatedRawRecordsEndInTheTableOrTheDeadLetterTopic() throws Exception {
    FuzzRun.Outcome o = new FuzzRun(lake, System.out::println).raw(600, SEED + 1);
    System.out.println(o.line() + " " + o.kinds());
    assertThat(o.failures()).isEmpty();
    assertThat(o.serverErrors()).as("job restarts").isZero();
    assertThat(o.lost()).isZero();
    assertThat(o.accepted() + o.deadLetters()).isEqualTo(o.cases());
  }

  @Test
  @Order(5)
  void aLostCatalogDatabaseGetsEveryRowBackAndLosesOrDuplicatesNothing() {
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, RECOVERY_SEED, System.out::println).catalogLoss(2_000, 500);
    assertExactlyOnce(o);
  }

  @Test
  @Order(6)
  void aRetentionGapIsDeadLetteredAsARangeAndEveryEventKafkaStillHasLandsOnce() {
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, RECOVERY_SEED, System.out::println).retentionGap(2_000, 500);
    assertExactlyOnce(o);
  }

  @Test
  @Order(7)
  void aBackupRestoredIntoAnEmptiedDataDirectoryAnswersTheSame() throws Exception {
    java.nio.file.Path backup =
        java.nio.file.Path.of("target", "faults-backup", java.util.UUID.randomUUID().toString())
            .toAbsolutePath();
    FaultScenarios.Outcome o =
        new FaultScenarios(lake, RECOVERY_SEED, System.out::println).restore(2_000, 500, backup);
    assertExactlyOnce(o);
  }

  /** Every acknowledged event once in the table and once in events.clean, none lost. */
  private static void assertExactlyOnce(FaultScenarios.Outcome o) {
    System.out.println(o.line());
    assertThat(o.failures()).isEmpty();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicates()).isZero();
    assertThat(o.inLake()).isEqualTo(o.acknowledged());
    assertThat(o.inClean()).isEqualTo(o.acknowledged());
  }
}
