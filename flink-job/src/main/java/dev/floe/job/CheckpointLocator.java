package dev.floe.job;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds the newest complete retained checkpoint under a checkpoint directory laid out by Flink as
 * {@code <dir>/<job-id>/chk-<n>/_metadata}. A checkpoint is complete once its {@code _metadata}
 * exists (Flink writes it last). "Newest" is the latest {@code _metadata} modification time, then
 * the highest n: job ids are random, so only time orders checkpoints of different runs.
 */
public final class CheckpointLocator {
  private static final Pattern CHK = Pattern.compile("chk-(\\d+)");

  private CheckpointLocator() {}

  public static Optional<String> latest(String checkpointDir) throws IOException {
    Path root = new Path(URI.create(checkpointDir));
    FileSystem fs = root.getFileSystem();
    if (!fs.exists(root)) {
      return Optional.empty();
    }
    Path best = null;
    long bestTime = Long.MIN_VALUE;
    long bestN = -1;
    for (FileStatus job : list(fs, root)) {
      if (!job.isDir()) {
        continue;
      }
      for (FileStatus chk : list(fs, job.getPath())) {
        Matcher m = CHK.matcher(chk.getPath().getName());
        if (!chk.isDir() || !m.matches()) {
          continue;
        }
        Path metadata = new Path(chk.getPath(), "_metadata");
        FileStatus meta;
        try {
          meta = fs.getFileStatus(metadata);
        } catch (java.io.FileNotFoundException e) {
          continue; // in progress or aborted
        }
        long n = Long.parseLong(m.group(1));
        long time = meta.getModificationTime();
        if (time > bestTime || (time == bestTime && n > bestN)) {
          best = chk.getPath();
          bestTime = time;
          bestN = n;
        }
      }
    }
    return Optional.ofNullable(best).map(Path::toString);
  }

  private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
    FileStatus[] statuses = fs.listStatus(dir);
    return statuses == null ? new FileStatus[0] : statuses;
  }
}
