package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.infra.process.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each packaged service, started as a user would start it on its own, bound beyond loopback and
 * without its token: it must not come up, and must say which setting is missing. With the token it
 * serves, and asks for the token.
 */
class ServiceExposureIT {

  private static final Path HOME =
      Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();

  @ParameterizedTest
  @CsvSource({
    "producer-service, FLOE_PRODUCER_API_TOKEN",
    "query-service, FLOE_QUERY_API_TOKEN",
    "console, FLOE_CONSOLE_API_TOKEN"
  })
  void aServiceOnEveryInterfaceWithoutItsTokenRefusesToStart(String module, String token)
      throws Exception {
    Path log = Files.createTempFile(module, ".log");
    Process p = start(module, Map.of("QUARKUS_HTTP_HOST", "0.0.0.0"), log);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s exits", module).isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s exit status; output:%n%s", module, output).isNotZero();
    assertThat(output)
        .contains(module + " refuses to start: it would listen on 0.0.0.0 (quarkus.http.host)")
        .contains("Set " + token);
  }

  @ParameterizedTest
  @CsvSource({"query-service, FLOE_QUERY_API_TOKEN"})
  void withItsTokenItServesAndAsksForTheToken(String module, String token) throws Exception {
    int port = Processes.freePort();
    Process p =
        start(
            module,
            Map.of(
                "QUARKUS_HTTP_HOST",
                "0.0.0.0",
                "QUARKUS_HTTP_PORT",
                Integer.toString(port),
                token,
                "a-token-of-the-operator"),
            Files.createTempFile(module, ".log"));
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + port + "/q/metrics");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              java.net.http.HttpRequest.newBuilder(metrics).build(),
                              java.net.http.HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 401);
      int withToken =
          http.send(
                  java.net.http.HttpRequest.newBuilder(metrics)
                      .header("Authorization", "Bearer a-token-of-the-operator")
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertThat(withToken).isEqualTo(200);
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static Process start(String module, Map<String, String> env, Path log)
      throws IOException {
    Path jar = new Artifacts(HOME).quarkusJar(module);
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // the user's own settings stay out; the CI run's marker stays in, so a leftover would be found
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                (k.startsWith("FLOE_") && !k.equals("FLOE_CI_RUN_ID")) || k.startsWith("QUARKUS_"));
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(Processes.freePort()));
    // a producer without a broker still starts its HTTP side; keep it from looking for one far away
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Processes.freePort());
    pb.environment().putAll(env);
    return pb.start();
  }
}
