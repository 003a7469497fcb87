package dev.floe.lake.bench;

import dev.floe.infra.StackSettings;
import dev.floe.infra.process.Processes;
import dev.floe.lake.Lake;
import dev.floe.lake.LakeClient;
import dev.floe.lake.LakeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Soak run of the whole lake, started as {@code ./floe up} starts it (generator off, free ports): a
 * steady stream of {@code soak.rate} events/s POSTed in batches of {@code soak.batch} to the
 * producer replica(s) for {@code soak.minutes} minutes, with one line of figures per minute and a
 * summary. Prints figures; it is not a test and asserts nothing.
 *
 * <p>Run: {@code ./mvnw -B -pl lake -am -DskipTests -Psoak verify -Dsoak.rate=5000
 * -Dsoak.minutes=30}; {@link SoakSettings} lists the further {@code -Dsoak.*} properties.
 *
 * <p>The run, in order: start the lake; {@link SoakSender} sends on its schedule while {@link
 * FreshnessProbes} measures the freshness of one probe per batch and {@link JobFigures} reads the
 * job's checkpoints; at the end of each minute the job's figures are sampled and, once the minute's
 * probes settled, {@link SoakReport} prints the minute's line; after the last minute, the summary
 * and {@link ExactnessCheck}'s count of the table; then the lake stops. {@link SoakReport}
 * documents the printed lines; the lake's data and component logs go to {@code
 * target/soak/<run>/data}.
 */
public final class SoakBenchmark {

  private final Lake lake;
  private final Path dataDir;
  private final SoakSettings settings;
  private final SoakReport report;

  private SoakBenchmark(Lake lake, Path dataDir, SoakSettings settings, SoakReport report) {
    this.lake = lake;
    this.dataDir = dataDir;
    this.settings = settings;
    this.report = report;
  }

  /**
   * Runs the soak.
   *
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%n");
    Path home = Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();
    SoakSettings settings = SoakSettings.fromSystemProperties();
    Path runDir = Path.of("target", "soak", runName()).toAbsolutePath();
    Path dataDir = runDir.resolve("data");
    Files.createDirectories(dataDir);
    try (SoakReport report = SoakReport.open(settings, runDir.resolve("soak.log"))) {
      report.printSettings(runDir.resolve("soak.log"), dataDir.resolve("logs"));
      LakeSettings lakeSettings =
          LakeSettings.builder(StackSettings.forTests(dataDir))
              .home(home)
              .producerPorts(freePorts(settings.producers()))
              .queryPort(Processes.freePort())
              .flinkRestPort(Processes.freePort())
              .generatorRate(0)
              .build();
      try (Lake lake = Lake.start(lakeSettings, System.out::println)) {
        new SoakBenchmark(lake, dataDir, settings, report).run();
      }
      report.writeResults(runDir.resolve("soak.txt"));
    }
  }

  /** The run's directory name: its UTC start time and a random suffix. */
  private static String runName() {
    return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static List<Integer> freePorts(int count) {
    Set<Integer> ports = new LinkedHashSet<>();
    while (ports.size() < count) {
      ports.add(Processes.freePort());
    }
    return List.copyOf(ports);
  }

  private void run() throws Exception {
    int minutes = settings.minutes();
    ScheduledExecutorService pollers =
        Executors.newScheduledThreadPool(3, SoakThreads.daemon("soak-poller"));
    LakeClient client = new LakeClient(lake.queryUrl());
    JobFigures job = new JobFigures(lake, dataDir);
    SoakClock clock = SoakClock.start(minutes);
    FreshnessProbes probes = new FreshnessProbes(lake.stack(), client, clock, report);
    SoakSender sender =
        new SoakSender(settings, lake.producerUrls(), clock, probes::accepted, report);
    try {
      sender.start();
      probes.start(pollers);
      pollers.scheduleWithFixedDelay(
          SoakThreads.guarded("checkpoint poller", job::pollCheckpoints),
          0,
          JobFigures.CHECKPOINT_POLL.toMillis(),
          TimeUnit.MILLISECONDS);
      List<CompletableFuture<JobFigures.Sample>> samples = sampleAtMinuteEnds(job, clock);

      for (int m = 1; m <= minutes; m++) {
        JobFigures.Sample sample = samples.get(m - 1).get();
        sender.throwIfRefused();
        if (m == minutes) {
          // the last minute also owns batches accepted after its end (retries, in-flight POSTs)
          sender.finish();
        }
        FreshnessProbes.Minute fresh = probes.awaitMinute(m);
        long ckptP99 = Percentiles.of(job.checkpointDurations(clock.startEpochMsOf(m)), 99);
        SoakSender.Minute sent = sender.minute(m);
        report.notes(m, sent, fresh);
        if (m == minutes) {
          report.unsent(m, sender.unsentBatches());
        }
        report.minute(m, sent, fresh, ckptP99, sample);
      }
      pollers.shutdownNow();
      report.summary(probes.queries(), probes.averageQueryMs(), sender.acknowledged());
      long acknowledged = sender.acknowledged();
      ExactnessCheck.Counts counts =
          new ExactnessCheck(client, job, settings.drainSeconds()).await(acknowledged);
      report.exact(acknowledged, counts);
    } finally {
      sender.close();
      pollers.shutdownNow();
      job.close();
      probes.close();
    }
  }

  /** The job's figures at the end of each minute 1..T, read on one thread in order. */
  private static List<CompletableFuture<JobFigures.Sample>> sampleAtMinuteEnds(
      JobFigures job, SoakClock clock) {
    ExecutorService sampler = Executors.newSingleThreadExecutor(SoakThreads.daemon("soak-sampler"));
    List<CompletableFuture<JobFigures.Sample>> samples = new ArrayList<>();
    for (int m = 1; m <= clock.minutes(); m++) {
      long due = clock.endOf(m);
      samples.add(
          CompletableFuture.supplyAsync(
              () -> {
                SoakClock.sleepUntil(due);
                return job.sample();
              },
              sampler));
    }
    sampler.shutdown();
    return samples;
  }
}
