package dev.floe.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLocatorTest {

  @TempDir Path dir;

  @Test
  void noDirectoryMeansFreshStart() throws Exception {
    assertThat(CheckpointLocator.latest(dir.resolve("missing").toUri().toString())).isEmpty();
  }

  @Test
  void picksTheNewestCompleteCheckpointAcrossRuns() throws Exception {
    checkpoint("job-a", 7, 1_000L);
    checkpoint("job-b", 3, 2_000L); // a later run: lower number, newer
    Files.createDirectories(dir.resolve("job-b/chk-4")); // in progress: no _metadata
    Files.createDirectories(dir.resolve("job-b/shared"));
    Files.createDirectories(dir.resolve("job-b/taskowned"));

    assertThat(CheckpointLocator.latest(dir.toUri().toString()))
        .hasValueSatisfying(p -> assertThat(p).endsWith("job-b/chk-3"));
  }

  private void checkpoint(String job, int n, long mtime) throws Exception {
    Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
    Path meta = Files.writeString(chk.resolve("_metadata"), "x");
    Files.setLastModifiedTime(meta, FileTime.fromMillis(mtime));
  }
}
