package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.infra.child.ChildMain;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A child whose main class fails ends its JVM, even when a non-daemon thread would keep it alive (a
 * Flink MiniCluster's do): the supervisor sees the exit and restarts the component.
 */
class ChildMainTest {

  /** A main that leaves a non-daemon thread behind and then fails. */
  public static final class FailsWithALingeringThread {
    private FailsWithALingeringThread() {}

    public static void main(String[] args) throws Exception {
      Thread lingering =
          new Thread(
              () -> {
                try {
                  new java.util.concurrent.CountDownLatch(1).await(); // never counted down
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      lingering.start();
      throw new IllegalStateException("the job failed for good");
    }
  }

  @Test
  void aMainThatThrowsEndsTheJvm() throws Exception {
    String cp =
        String.join(
            File.pathSeparator,
            Path.of("target", "classes").toAbsolutePath().toString(),
            Path.of("target", "test-classes").toAbsolutePath().toString());
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    cp,
                    ChildMain.class.getName(),
                    FailsWithALingeringThread.class.getName()))
            .redirectErrorStream(true)
            .start();
    boolean ended = p.waitFor(60, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes());
    if (!ended) {
      p.destroyForcibly();
    }
    assertThat(ended).as("the JVM ended").isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out)
        .contains("main class " + FailsWithALingeringThread.class.getName() + " failed")
        .contains("the job failed for good");
  }
}
