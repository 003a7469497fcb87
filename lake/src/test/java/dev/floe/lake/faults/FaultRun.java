package dev.floe.lake.faults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The full fault and fuzz run on one embedded lake ({@code ./floe up}'s code, 2 producer replicas,
 * supervision on): the six fault scenarios one after another, then both fuzz targets. Prints one
 * {@code FLOE-FAULT} line per scenario and one {@code FLOE-FUZZ} line per target, and exits 1 when
 * any of them failed, saying why.
 *
 * <p>Run: {@code ./mvnw -B -pl lake -am -DskipTests -Pfaults verify}. System properties (and their
 * defaults): {@code faults.scenarios} (all: job-kill,kafka-kill,postgres-kill,trino-kill,
 * producer-kill,rescale,catalog-loss,retention-gap,restore,disk-full; disk-full needs root for its
 * tmpfs), {@code faults.jobKillEvents} (2000000), {@code faults.jobKills} (5), {@code
 * faults.events} (events of each other scenario, 150000), {@code faults.rate} (events/s, 4000),
 * {@code faults.fuzzCases} (10000 per target; 0 skips fuzzing), {@code faults.seed} (random;
 * printed, so a run can be repeated).
 */
public final class FaultRun {

  private FaultRun() {}

  /** Scenario names in run order. */
  static final List<String> ALL =
      List.of(
          "job-kill",
          "kafka-kill",
          "postgres-kill",
          "trino-kill",
          "producer-kill",
          "rescale",
          "catalog-loss",
          "retention-gap",
          "restore",
          "disk-full");

  public static void main(String[] args) throws Exception {
    List<String> scenarios =
        Arrays.stream(System.getProperty("faults.scenarios", String.join(",", ALL)).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    for (String s : scenarios) {
      if (!ALL.contains(s)) {
        throw new IllegalArgumentException(
            "faults.scenarios: unknown scenario " + s + "; known: " + ALL);
      }
    }
    long jobKillEvents = Long.getLong("faults.jobKillEvents", 2_000_000);
    int jobKills = Integer.getInteger("faults.jobKills", 5);
    long events = Long.getLong("faults.events", 150_000);
    int rate = Integer.getInteger("faults.rate", 4000);
    int fuzzCases = Integer.getInteger("faults.fuzzCases", 10_000);
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.printf(
        Locale.ROOT,
        "faults: seed=%d scenarios=%s job-kill: %d events, %d kills; others: %d events; %d events/s;"
            + " %d fuzz cases per target%n",
        seed,
        scenarios,
        jobKillEvents,
        jobKills,
        events,
        rate,
        fuzzCases);
    List<String> lines = new ArrayList<>();
    boolean passed = true;
    try (FaultLake lake = FaultLake.start(2, System.out::println)) {
      FaultScenarios faults = new FaultScenarios(lake, seed, System.out::println);
      for (String s : scenarios) {
        FaultScenarios.Outcome o =
            switch (s) {
              case "job-kill" -> faults.jobKills(jobKillEvents, rate, jobKills);
              case "kafka-kill" -> faults.kafkaKill(events, rate);
              case "postgres-kill" -> faults.postgresKill(events, rate);
              case "trino-kill" -> faults.trinoKill(events, rate);
              case "producer-kill" -> faults.producerKill(events, rate);
              case "catalog-loss" -> faults.catalogLoss(events, rate);
              case "retention-gap" -> faults.retentionGap(events, rate);
              case "disk-full" -> faults.diskFull(events, rate);
              case "restore" ->
                  faults.restore(
                      events,
                      rate,
                      // a directory of this run's own: a backup refuses a directory that is not
                      // empty
                      java.nio.file.Path.of(
                              "target",
                              "faults-backup",
                              "run-" + seed + "-" + java.util.UUID.randomUUID())
                          .toAbsolutePath());
              default -> faults.rescale(events, rate);
            };
        passed &= report(o.line(), o.passed(), o.failures(), lines);
      }
      if (fuzzCases > 0) {
        FuzzRun fuzz = new FuzzRun(lake, System.out::println);
        FuzzRun.Outcome http = fuzz.http(fuzzCases, seed);
        System.out.println("faults: http cases by kind " + http.kinds());
        passed &= report(http.line(), http.passed(), http.failures(), lines);
        FuzzRun.Outcome raw = fuzz.raw(fuzzCases, seed + 1);
        System.out.println("faults: raw cases by kind " + raw.kinds());
        passed &= report(raw.line(), raw.passed(), raw.failures(), lines);
      }
    }
    System.out.println();
    lines.forEach(System.out::println);
    System.out.println(passed ? "FLOE-FAULTS passed" : "FLOE-FAULTS FAILED");
    System.exit(passed ? 0 : 1);
  }

  private static boolean report(
      String line, boolean passed, List<String> failures, List<String> lines) {
    System.out.println(line);
    lines.add(line);
    for (String f : failures.stream().distinct().limit(20).toList()) {
      String msg = "FLOE-FAULT-FAILURE " + line.split(" ")[1] + ": " + f;
      System.out.println(msg);
      lines.add(msg);
    }
    return passed;
  }
}
