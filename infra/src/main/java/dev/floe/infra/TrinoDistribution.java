package dev.floe.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Trino server unpacked once into the cache directory, with the Iceberg plugin as {@code
 * plugin/iceberg}. Unpacking goes to a private temporary folder that is then renamed atomically, so
 * JVMs unpacking at the same time never see a half-written server.
 */
final class TrinoDistribution {

  private static final String COMPLETE = ".floe-complete";

  private TrinoDistribution() {}

  static Path ensureUnpacked(Path cacheDir, Path serverTarGz, Path pluginZip) {
    String name = serverTarGz.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
    Path target = cacheDir.resolve(name);
    if (Files.isRegularFile(target.resolve(COMPLETE))) {
      return target;
    }
    Path tmp = cacheDir.resolve(".unpack-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      // The system tar keeps file modes and handles the archive's long names; it is on every
      // Linux/macOS.
      Process tar =
          new ProcessBuilder("tar", "-xzf", serverTarGz.toString(), "-C", tmp.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(tar.getInputStream().readAllBytes());
      if (!tar.waitFor(10, TimeUnit.MINUTES) || tar.exitValue() != 0) {
        throw new IllegalStateException("cannot unpack " + serverTarGz + ": " + out);
      }
      Path server = tmp.resolve(name);
      if (!Files.isDirectory(server.resolve("lib"))) {
        throw new IllegalStateException(serverTarGz + " does not contain " + name + "/lib");
      }
      Path pluginDir = server.resolve("plugin").resolve("iceberg");
      unzipStrippingTopFolder(pluginZip, pluginDir);
      Files.writeString(server.resolve(COMPLETE), "ok\n");
      try {
        Files.move(server, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // another JVM finished first; its copy is complete (it is renamed only when done)
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException("cache dir must be on one file system: " + cacheDir, e);
      }
      if (!Files.isRegularFile(target.resolve(COMPLETE))) {
        throw new IllegalStateException(
            target + " exists but is incomplete; delete it and start again");
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack Trino into " + cacheDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking Trino", e);
    } finally {
      deleteRecursively(tmp);
    }
  }

  /** Unzips {@code trino-iceberg-476/...} entries into {@code into/...}. */
  private static void unzipStrippingTopFolder(Path zip, Path into) throws IOException {
    Files.createDirectories(into);
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream zin = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zin.getNextEntry()) != null) {
        String entry = e.getName();
        int slash = entry.indexOf('/');
        String rest = slash < 0 ? "" : entry.substring(slash + 1);
        if (rest.isEmpty()) {
          continue;
        }
        Path out = into.resolve(rest).normalize();
        if (!out.startsWith(into)) {
          throw new IOException("zip entry outside the target folder: " + entry);
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zin, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
