package dev.floe.query.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged service refuses to start on a bad setting and names the key. */
class BadConfigStartIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  @Test
  void aBadEnvironmentValueStopsTheStartWithTheKeyInTheMessage() throws Exception {
    assertThat(JAR).exists();
    Path log = Files.createTempFile("query-service-bad-config", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    JAR.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("FLOE_QUERY_MAX_ROW_LIMIT", "0");
    builder.environment().put("QUARKUS_HTTP_PORT", "0");
    Process process = builder.start();
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the service exited").isTrue();
      assertThat(process.exitValue()).isNotZero();
      assertThat(read(log)).contains("floe.query.max-row-limit must be greater than or equal to 1");
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
