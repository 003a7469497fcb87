package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.infra.process.ServiceStartException;
import dev.floe.infra.process.SupervisedProcess;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisedProcessTest {

  @TempDir Path dir;

  private SupervisedProcess.Builder sh(String name, String script) {
    return SupervisedProcess.builder(name)
        .displayName("Test service " + name)
        .command(List.of("sh", "-c", script))
        .logFile(dir.resolve("logs/" + name + ".log"))
        .pidFile(dir.resolve("run/" + name + ".pid"));
  }

  @Test
  void aProcessThatDiesEarlyIsReportedByNameWithItsLogTail() {
    SupervisedProcess p =
        sh("early", "echo 'cannot bind: boom'; exit 3").readiness(() -> false).start();
    assertThatThrownBy(p::awaitReady)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("Test service early")
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("cannot bind: boom");
    assertThat(Files.exists(dir.resolve("run/early.pid"))).isFalse();
  }

  @Test
  void aProcessThatNeverGetsReadyIsStoppedAfterTheDeadline() {
    SupervisedProcess p =
        sh("slow", "echo starting; exec sleep 300")
            .readiness(() -> false)
            .startTimeout(Duration.ofSeconds(2))
            .start();
    assertThatThrownBy(p::awaitReady)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("Test service slow did not become ready within 2 s")
        .hasMessageContaining("starting");
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void readyProcessWritesItsPidFileAndStopsOnSigterm() throws Exception {
    Path marker = dir.resolve("ready");
    SupervisedProcess p =
        sh("ok", "touch '" + marker + "'; exec sleep 300")
            .readiness(() -> Files.exists(marker))
            .start();
    p.awaitReady();
    assertThat(Files.readString(dir.resolve("run/ok.pid"))).startsWith(Long.toString(p.pid()));
    p.stop();
    assertThat(p.isAlive()).isFalse();
    assertThat(Files.exists(dir.resolve("run/ok.pid"))).isFalse();
  }

  @Test
  void aPortHeldBySomeoneElseStopsTheStartWithTheServiceAndItsVariable() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      StackSettings settings =
          StackSettings.forTests(dir.resolve("stack")).toBuilder()
              .kafkaPort(taken.getLocalPort())
              .services(Service.KAFKA)
              .build();
      assertThatThrownBy(() -> EmbeddedStack.start(settings))
          .isInstanceOf(ServiceStartException.class)
          .hasMessageContaining("Kafka")
          .hasMessageContaining(Integer.toString(taken.getLocalPort()))
          .hasMessageContaining("FLOE_KAFKA_PORT");
    }
  }
}
