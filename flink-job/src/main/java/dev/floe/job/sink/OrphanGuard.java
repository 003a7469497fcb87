package dev.floe.job.sink;

import dev.floe.contract.LakeNames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, when the job starts, whether Iceberg's orphan-file cleanup may run in this run. Orphan
 * cleanup deletes every file under the table's location that the table's metadata does not
 * reference; that is only right when the table's metadata is its whole history. It is left out of
 * the maintenance (logged at WARN) when any of these holds:
 *
 * <ul>
 *   <li>the metadata directory holds a metadata file that is not in the table's history: numbered
 *       above the current one, or within the range of its metadata log (the last versions it keeps)
 *       but neither current nor in the log. That is a lineage the catalog does not point at, whose
 *       data files would look like orphans, or the file of a commit that lost a race (it leaves the
 *       range after as many commits as the log keeps, and cleanup runs again);
 *   <li>the table was recovered from the warehouse ({@link LakeTable#ensureExists}) less than the
 *       orphan minimum age ago: an operator who finds the recovery picked the wrong file has that
 *       long to correct it before anything is deleted;
 *   <li>a file under the location is older than the table itself ({@link
 *       LakeNames#TABLE_CREATED_AT_PROPERTY}, with a minute of clock tolerance): it was written by
 *       a table the catalog has forgotten, not by this one.
 * </ul>
 *
 * The decision holds for the run: a job restart decides again. A table created before the creation
 * time was recorded gets, as its creation time, the time of the oldest file under its location (the
 * table as it is becomes the baseline).
 */
public final class OrphanGuard {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanGuard.class);

  /** Clock differences between the job and the storage that a file's time may show. */
  static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

  private OrphanGuard() {}

  /**
   * What the decision rests on.
   *
   * @param currentFile the metadata file the catalog points at
   * @param history the current file and the previous ones its metadata log lists
   * @param metadataFiles the metadata files in the table's metadata directory
   * @param createdAt when the table was created
   * @param recoveredAt when the table was last recovered from the warehouse
   * @param oldestFile the oldest file under the table's location
   */
  public record Facts(
      String currentFile,
      Set<String> history,
      List<WarehouseMetadata.MetadataFile> metadataFiles,
      Optional<Instant> createdAt,
      Optional<Instant> recoveredAt,
      Optional<FileInfo> oldestFile) {}

  /**
   * Why orphan cleanup must not run, if it must not.
   *
   * @param facts the table's facts
   * @param now the time now
   * @param minAge the orphan cleanup's minimum file age
   * @return the reason, or empty when cleanup may run
   */
  public static Optional<String> refusal(Facts facts, Instant now, Duration minAge) {
    int current = WarehouseMetadata.version(facts.currentFile()).orElse(Integer.MAX_VALUE);
    int oldestKept =
        facts.history().stream()
            .map(WarehouseMetadata::version)
            .flatMap(Optional::stream)
            .min(Integer::compare)
            .orElse(current);
    Optional<WarehouseMetadata.MetadataFile> foreign =
        facts.metadataFiles().stream()
            .filter(
                f ->
                    f.version() > current
                        || (f.version() >= oldestKept && !facts.history().contains(f.location())))
            .findFirst();
    if (foreign.isPresent()) {
      return Optional.of(
          "the warehouse holds "
              + foreign.get().location()
              + ", which is not in the history of the table's current metadata "
              + facts.currentFile()
              + ": the table may not see its whole history");
    }
    if (facts.recoveredAt().isPresent() && facts.recoveredAt().get().plus(minAge).isAfter(now)) {
      return Optional.of(
          "the table was recovered from the warehouse at "
              + facts.recoveredAt().get()
              + "; cleanup waits until "
              + facts.recoveredAt().get().plus(minAge)
              + " (the orphan minimum age) so that a wrong recovery can be undone first");
    }
    if (facts.createdAt().isEmpty()) {
      return Optional.of("the table's creation time is unknown");
    }
    if (facts.oldestFile().isPresent()) {
      Instant written = Instant.ofEpochMilli(facts.oldestFile().get().createdAtMillis());
      if (written.plus(CLOCK_TOLERANCE).isBefore(facts.createdAt().get())) {
        return Optional.of(
            facts.oldestFile().get().location()
                + " (written at "
                + written
                + ") is older than the table (created at "
                + facts.createdAt().get()
                + "): it belongs to a table the catalog does not know");
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the facts of a table from its metadata and its location; records the creation time of a
   * table that has none (see the class comment).
   *
   * @param table the table
   * @param warehouse a file IO that lists the table's location
   * @return the facts
   */
  public static Facts facts(Table table, SupportsPrefixOperations warehouse) {
    List<FileInfo> files = WarehouseMetadata.list(warehouse, table.location());
    Optional<FileInfo> oldest =
        files.stream().min(Comparator.comparingLong(FileInfo::createdAtMillis));
    Optional<Instant> createdAt = instant(table, LakeNames.TABLE_CREATED_AT_PROPERTY);
    if (createdAt.isEmpty()) {
      Instant baseline =
          oldest
              .map(f -> Instant.ofEpochMilli(f.createdAtMillis()))
              .orElse(Instant.now())
              .truncatedTo(ChronoUnit.SECONDS);
      table
          .updateProperties()
          .set(LakeNames.TABLE_CREATED_AT_PROPERTY, baseline.toString())
          .commit();
      LOG.info("{} had no creation time; recorded {} (its oldest file)", table.name(), baseline);
      createdAt = Optional.of(baseline);
    }
    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    Set<String> history = new HashSet<>();
    history.add(metadata.metadataFileLocation());
    metadata.previousFiles().forEach(e -> history.add(e.file()));
    return new Facts(
        metadata.metadataFileLocation(),
        history,
        WarehouseMetadata.metadataFiles(warehouse, table.location()),
        createdAt,
        instant(table, LakeNames.TABLE_RECOVERED_AT_PROPERTY),
        oldest);
  }

  private static Optional<Instant> instant(Table table, String property) {
    String value = table.properties().get(property);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (java.time.format.DateTimeParseException e) {
      LOG.warn("{}: property {}={} is not an instant", table.name(), property, value);
      return Optional.empty();
    }
  }

  /**
   * Decides for a table and logs a refusal at WARN.
   *
   * @param table the table
   * @param warehouse a file IO that lists the table's location
   * @param minAge the orphan cleanup's minimum file age
   * @return whether orphan cleanup may run in this run
   */
  public static boolean allows(Table table, SupportsPrefixOperations warehouse, Duration minAge) {
    Optional<String> refusal = refusal(facts(table, warehouse), Instant.now(), minAge);
    refusal.ifPresent(
        r -> LOG.warn("Orphan-file cleanup of {} is off for this run: {}", table.name(), r));
    return refusal.isEmpty();
  }
}
