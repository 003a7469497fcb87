package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.infra.process.PidFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

  @TempDir Path dir;

  @Test
  void aLeftoverProcessIsStoppedAndItsFileRemoved() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "300").start();
    PidFile pid = new PidFile(dir.resolve("run/x.pid"));
    pid.write(sleeper.toHandle());
    assertThat(pid.liveProcess()).isPresent();

    assertThat(pid.stopLeftoverAndDelete(Duration.ofSeconds(10))).isTrue();

    assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(Files.exists(pid.path())).isFalse();
  }

  @Test
  void aStaleFileOfADeadProcessIsRemovedWithoutStoppingAnything() throws Exception {
    Path file = dir.resolve("x.pid");
    // a pid that cannot belong to a live process: the recorded start instant never matches
    Files.writeString(file, ProcessHandle.current().pid() + "\n1\n");
    PidFile pid = new PidFile(file);
    assertThat(pid.liveProcess()).isEmpty();
    assertThat(pid.stopLeftoverAndDelete(Duration.ofSeconds(1))).isFalse();
    assertThat(Files.exists(file)).isFalse();
  }
}
