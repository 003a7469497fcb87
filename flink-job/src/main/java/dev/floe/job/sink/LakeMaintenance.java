package dev.floe.job.sink;

import dev.floe.job.config.JobSettings.MaintenanceSettings;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.maintenance.api.DeleteOrphanFiles;
import org.apache.iceberg.flink.maintenance.api.ExpireSnapshots;
import org.apache.iceberg.flink.maintenance.api.RewriteDataFiles;
import org.apache.iceberg.flink.maintenance.api.TableMaintenance;

/**
 * Iceberg's Flink table maintenance, run as a job of its own beside the ingest job ({@link
 * dev.floe.job.FloeJobMain#startMaintenance}): it polls the table itself (so it works whatever sink
 * writes it), serialises its tasks with a lock held by the JobManager, and reports task errors as
 * metrics instead of failing. Only files below the rewrite's minimum size are rewritten, so each
 * rewrite handles what arrived since the last one and its cost does not grow with the table. Its
 * own commits (operation {@code replace}) validate against concurrent appends through Iceberg's
 * optimistic concurrency, so a streaming commit is never lost.
 */
public final class LakeMaintenance {
  /** Fixed: Iceberg 1.11 defaults to a random suffix, which would orphan the state on restore. */
  static final String UID_SUFFIX = "lake-events-maintenance";

  private LakeMaintenance() {}

  /**
   * Adds the maintenance tasks to an environment.
   *
   * @param env the maintenance job's environment
   * @param table the table
   * @param settings the maintenance settings
   * @param orphanCleanup whether orphan files may be deleted in this run ({@link OrphanGuard})
   * @throws IOException when the table cannot be loaded
   */
  public static void append(
      StreamExecutionEnvironment env,
      TableLoader table,
      MaintenanceSettings settings,
      boolean orphanCleanup)
      throws IOException {
    TableMaintenance.Builder maintenance =
        TableMaintenance.forTable(env, table)
            .uidSuffix(UID_SUFFIX)
            .rateLimit(settings.rateLimit())
            .lockCheckDelay(settings.rateLimit())
            .parallelism(1)
            .add(
                RewriteDataFiles.builder()
                    .scheduleOnCommitCount(settings.rewriteCommitCount())
                    .scheduleOnInterval(settings.rewriteInterval())
                    .minInputFiles(settings.rewriteMinInputFiles())
                    .minFileSizeBytes(settings.rewriteMinFileSize())
                    // commit in batches: a long rewrite conflicts less with the streaming appends
                    .partialProgressEnabled(true)
                    .partialProgressMaxCommits(10))
            .add(
                ExpireSnapshots.builder()
                    .scheduleOnCommitCount(settings.expireCommitCount())
                    .scheduleOnInterval(Duration.ofMinutes(10))
                    .maxSnapshotAge(settings.snapshotRetention())
                    // required in 1.11 (an unset value is an NPE in its config path)
                    .retainLast(settings.snapshotMinCount()));
    if (orphanCleanup) {
      maintenance.add(
          DeleteOrphanFiles.builder()
              .scheduleOnInterval(settings.orphanInterval())
              .minAge(settings.orphanMinAge()));
    }
    maintenance.append();
  }
}
