package dev.floe.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code ./floe backup DIR} and {@code ./floe restore DIR} for the local lake: a copy of a stopped
 * lake's state, taken and put back in a fixed order.
 *
 * <ol>
 *   <li>{@code postgres}: the catalog database, which points at each table's current metadata file;
 *   <li>{@code warehouse}: the tables' metadata and data files. After the catalog, so that every
 *       file the copied pointer names is in the copy (metadata files are never changed, only
 *       added);
 *   <li>{@code flink/checkpoints}: the job's retained checkpoints (and its state changelog): the
 *       Kafka offsets and the dedup state the job resumes from;
 *   <li>{@code kafka}: the broker's data, with events.raw records the job has not read yet.
 * </ol>
 *
 * The lake must be stopped: a running job commits to the table and checkpoints every second, and a
 * copy of a table and a checkpoint taken at different moments either loses the rows in between or
 * writes them twice on restore. Restore goes into a data directory that holds none of these parts,
 * at the same path as the lake that was backed up: the Iceberg metadata and the checkpoints record
 * absolute file locations.
 */
public final class Backup {

  /** The parts of a data directory that are the lake's state, in backup order. */
  public static final List<String> PARTS =
      List.of("postgres", "warehouse", "flink/checkpoints", "kafka");

  /** The description of a backup, in its top directory. */
  public static final String MANIFEST = "floe-backup.properties";

  private Backup() {}

  /**
   * Copies a stopped lake's state to a new directory.
   *
   * @param dataDir the lake's data directory
   * @param target a directory that does not exist or is empty
   * @param out progress lines
   */
  public static void backup(Path dataDir, Path target, PrintStream out) {
    Path source = dataDir.toAbsolutePath().normalize();
    requireStopped(source, "backup");
    requireEmpty(target, "the backup directory " + target);
    if (!Files.isDirectory(source.resolve("warehouse"))) {
      throw new IllegalStateException("no lake in " + source + " (no warehouse directory)");
    }
    for (String part : PARTS) {
      Path from = source.resolve(part);
      if (Files.exists(from)) {
        out.println("floe: backing up " + part + "...");
        copyTree(from, target.resolve(part));
      }
    }
    Properties manifest = new Properties();
    manifest.setProperty("dataDir", source.toString());
    manifest.setProperty("createdAt", Instant.now().toString());
    manifest.setProperty("parts", String.join(",", PARTS));
    try (OutputStream o = Files.newOutputStream(target.resolve(MANIFEST))) {
      manifest.store(o, "Floe backup: restore with ./floe restore DIR (FLOE_DATA_DIR=dataDir)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println("floe: backup of " + source + " written to " + target);
  }

  /**
   * Puts a backup back into a data directory that holds no lake state.
   *
   * @param backup the backup directory
   * @param dataDir the data directory, at the path the backup was taken from
   * @param out progress lines
   */
  public static void restore(Path backup, Path dataDir, PrintStream out) {
    Path target = dataDir.toAbsolutePath().normalize();
    Properties manifest = new Properties();
    try (InputStream in = Files.newInputStream(backup.resolve(MANIFEST))) {
      manifest.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(backup + " is not a Floe backup (no " + MANIFEST + ")");
    }
    String origin = manifest.getProperty("dataDir");
    if (!target.toString().equals(origin)) {
      throw new IllegalArgumentException(
          "the backup was taken from "
              + origin
              + " and can only be restored there (FLOE_DATA_DIR="
              + origin
              + "): the table's metadata and the job's checkpoints name their files by absolute"
              + " path");
    }
    requireStopped(target, "restore");
    List<String> present = new ArrayList<>();
    for (String part : PARTS) {
      if (!isEmpty(target.resolve(part))) {
        present.add(part);
      }
    }
    if (!present.isEmpty()) {
      throw new IllegalStateException(
          target + " already holds " + present + ": restore goes into a fresh data directory");
    }
    for (String part : PARTS) {
      Path from = backup.resolve(part);
      if (Files.exists(from)) {
        out.println("floe: restoring " + part + "...");
        copyTree(from, target.resolve(part));
      }
    }
    out.println(
        "floe: restored the backup of "
            + manifest.getProperty("createdAt")
            + " into "
            + target
            + "; start it with ./floe up");
  }

  private static void requireStopped(Path dataDir, String what) {
    boolean running =
        Lake.launcherPidFile(dataDir).liveProcess().isPresent()
            || LakeStatus.components(dataDir).values().stream()
                .anyMatch(state -> state.startsWith("running"));
    if (running) {
      throw new IllegalStateException(
          "the lake on "
              + dataDir
              + " is running; stop it first (./floe stop): a "
              + what
              + " of a running lake is not consistent");
    }
  }

  private static void requireEmpty(Path dir, String what) {
    if (!isEmpty(dir)) {
      throw new IllegalStateException(what + " is not empty");
    }
  }

  private static boolean isEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies a tree with its files' times (the orphan-file guard compares them) and its directories'
   * permissions (PostgreSQL refuses a data directory others may read).
   *
   * @param from the directory to copy
   * @param to where the copy goes
   */
  public static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              Path copy = to.resolve(from.relativize(dir).toString());
              Files.createDirectories(copy);
              if (Files.getFileStore(copy)
                  .supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(dir));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.copy(
                  file,
                  to.resolve(from.relativize(file).toString()),
                  StandardCopyOption.COPY_ATTRIBUTES);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }
}
