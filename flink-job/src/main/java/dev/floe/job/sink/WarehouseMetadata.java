package dev.floe.job.sink;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * What the warehouse holds of a table, read without the catalog: its {@code metadata.json} files
 * and the newest committed one among them. The catalog is only a pointer to one of these files;
 * when it loses the pointer (a lost or replaced catalog database) or points at an older file (a
 * catalog restored from an older backup), the files are still the table.
 *
 * <p>Which file is the newest committed one: metadata files are named {@code
 * NNNNN-<uuid>[.gz].metadata.json}, NNNNN being one more than the version they replace. A commit
 * writes its file first and then swaps the catalog's pointer; a file whose swap failed stays
 * behind. Such a file is of one of two kinds. Either the committer cleaned up after the failed
 * swap, and then the new snapshot's manifest list is gone: {@link #check} rejects it, so the
 * highest-numbered file that parses and whose snapshots' manifest lists (and the current snapshot's
 * manifests) all exist is chosen. Or the process died between writing and swapping: then every file
 * it references exists, and the snapshot it adds holds the data files of a checkpoint that had
 * completed (the job commits only completed checkpoints); taking it is what the job's restart from
 * that checkpoint would have committed anyway, and the Flink committer sees the checkpoint as
 * committed in the snapshot summary and does not commit it twice. Two readable files with the same
 * number (a commit that lost the swap to a metadata-only change) are ordered by sequence number,
 * then by the number of snapshots they keep, so the one with more history wins; both are logged.
 */
public final class WarehouseMetadata {

  /** Iceberg's name for a metadata file written through a catalog. */
  static final Pattern METADATA_FILE =
      Pattern.compile("(\\d+)-[0-9a-fA-F-]+(\\.[a-z0-9]+)?\\.metadata\\.json");

  private WarehouseMetadata() {}

  /**
   * A metadata file in the warehouse.
   *
   * @param version the number in its name
   * @param location its full location
   * @param modifiedMillis when it was written
   */
  public record MetadataFile(int version, String location, long modifiedMillis) {}

  /**
   * The version number of a metadata file location, from its name.
   *
   * @param location the location
   * @return the version, or empty for a file that is not a catalog's metadata file
   */
  public static Optional<Integer> version(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    Matcher m = METADATA_FILE.matcher(name);
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** {@code <table location>/metadata}, the directory Iceberg writes metadata files to. */
  public static String metadataDir(String tableLocation) {
    return stripSlash(tableLocation) + "/metadata";
  }

  static String stripSlash(String location) {
    return location.replaceAll("/+$", "");
  }

  /**
   * Every file under a prefix, or none when the prefix does not exist.
   *
   * @param io a file IO that can list
   * @param prefix a directory
   * @return the files
   */
  public static List<FileInfo> list(SupportsPrefixOperations io, String prefix) {
    List<FileInfo> out = new ArrayList<>();
    try {
      io.listPrefix(stripSlash(prefix) + "/").forEach(out::add);
    } catch (UncheckedIOException | NotFoundException e) {
      if (!(e instanceof NotFoundException) && !(e.getCause() instanceof FileNotFoundException)) {
        throw e;
      }
    }
    return out;
  }

  /**
   * The metadata files under a table location, highest version first.
   *
   * @param io a file IO that can list
   * @param tableLocation the table's location
   * @return the files
   */
  public static List<MetadataFile> metadataFiles(
      SupportsPrefixOperations io, String tableLocation) {
    String dir = metadataDir(tableLocation) + "/";
    List<MetadataFile> out = new ArrayList<>();
    for (FileInfo f : list(io, dir)) {
      String rest = f.location().substring(f.location().indexOf(dir) + dir.length());
      if (rest.contains("/")) {
        continue;
      }
      version(f.location())
          .ifPresent(v -> out.add(new MetadataFile(v, f.location(), f.createdAtMillis())));
    }
    out.sort(Comparator.comparingInt(MetadataFile::version).reversed());
    return out;
  }

  /**
   * The newest committed metadata of the table at a location (see the class comment for how it is
   * chosen).
   *
   * @param io a file IO that can list
   * @param tableLocation the table's location
   * @param log receives why a file was passed over
   * @return the metadata, read, or empty when the location holds no usable metadata file
   */
  public static Optional<TableMetadata> newestCommitted(
      SupportsPrefixOperations io, String tableLocation, Consumer<String> log) {
    List<MetadataFile> files = metadataFiles(io, tableLocation);
    int i = 0;
    while (i < files.size()) {
      int version = files.get(i).version();
      List<TableMetadata> usable = new ArrayList<>();
      for (; i < files.size() && files.get(i).version() == version; i++) {
        String location = files.get(i).location();
        Optional<String> problem = check(io, location, tableLocation);
        if (problem.isPresent()) {
          log.accept("passed over " + location + ": " + problem.get());
        } else {
          usable.add(TableMetadataParser.read(io, location));
        }
      }
      if (!usable.isEmpty()) {
        usable.sort(
            Comparator.comparingLong(TableMetadata::lastSequenceNumber)
                .thenComparingInt(m -> m.snapshots().size())
                .reversed());
        if (usable.size() > 1) {
          log.accept(
              "several readable metadata files of version "
                  + version
                  + ": "
                  + usable.stream().map(TableMetadata::metadataFileLocation).toList()
                  + "; taking the one with the most history");
        }
        return Optional.of(usable.get(0));
      }
    }
    return Optional.empty();
  }

  /**
   * Why a metadata file cannot be the table's committed state, if it cannot.
   *
   * @param io the file IO
   * @param location the metadata file
   * @param tableLocation where the table lives
   * @return the problem, or empty for a usable file
   */
  static Optional<String> check(
      SupportsPrefixOperations io, String location, String tableLocation) {
    TableMetadata metadata;
    try {
      metadata = TableMetadataParser.read(io, location);
    } catch (RuntimeException e) {
      return Optional.of("cannot be read (" + e.getMessage() + ")");
    }
    if (!stripSlash(metadata.location()).equals(stripSlash(tableLocation))) {
      return Optional.of("it belongs to the table at " + metadata.location());
    }
    for (Snapshot s : metadata.snapshots()) {
      String list = s.manifestListLocation();
      if (list != null && !io.newInputFile(list).exists()) {
        return Optional.of("the manifest list of snapshot " + s.snapshotId() + " is missing");
      }
    }
    Snapshot current = metadata.currentSnapshot();
    if (current != null) {
      try {
        for (ManifestFile m : current.allManifests(io)) {
          if (!io.newInputFile(m.path()).exists()) {
            return Optional.of("manifest " + m.path() + " of the current snapshot is missing");
          }
        }
      } catch (RuntimeException e) {
        return Optional.of("the current snapshot's manifest list cannot be read: " + e);
      }
    }
    return Optional.empty();
  }
}
