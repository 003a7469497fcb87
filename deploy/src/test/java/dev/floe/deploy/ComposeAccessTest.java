package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closed by default, open on purpose, in compose: every published port binds the publish address
 * (loopback unless set), the doors without a credential are never published, Flink takes no jars,
 * and a lake published beyond loopback does not start without credentials of the operator's own.
 */
class ComposeAccessTest {

  private static final Path ROOT = Path.of(System.getProperty("floe.root", "..")).toAbsolutePath();
  private static final List<String> FILES =
      List.of("docker-compose.yml", "docker-compose.gcs.yml", "docker-compose.gcs-emulator.yml");
  private static final String PUBLISH = "${FLOE_PUBLISH_ADDRESS:-127.0.0.1}:";

  /** Services whose doors have no credential of their own: never published. */
  private static final List<String> NEVER_PUBLISHED =
      List.of(
          "kafka",
          "postgres",
          "trino-coordinator",
          "trino-worker",
          "flink-jobmanager",
          "flink-taskmanager");

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(String file) throws IOException {
    Object services = ComposeModel.readRaw(ROOT.resolve(file)).get("services");
    return services == null ? Map.of() : (Map<String, Map<String, Object>>) services;
  }

  @Test
  void everyPublishedPortOfEveryFileBindsThePublishAddress() throws IOException {
    List<String> published = new ArrayList<>();
    for (String file : FILES) {
      for (var e : services(file).entrySet()) {
        Object ports = e.getValue().get("ports");
        if (ports == null) {
          continue;
        }
        for (Object port : (List<?>) ports) {
          assertThat(port)
              .as("%s: %s publishes a port in the short string form", file, e.getKey())
              .isInstanceOf(String.class);
          assertThat((String) port)
              .as("%s: %s binds its published port to the publish address", file, e.getKey())
              .startsWith(PUBLISH);
          published.add(e.getKey());
        }
      }
    }
    assertThat(published)
        .as("the doors a user needs are published")
        .contains("producer-lb", "query-service", "console", "flink-ui", "grafana");
    ComposeModel merged = ComposeModel.load(ROOT, "docker-compose.yml");
    for (String name : NEVER_PUBLISHED) {
      assertThat(merged.service(name)).as("%s is not published", name).doesNotContainKey("ports");
    }
  }

  @Test
  void flinkTakesNoJarsAndCancelsNoJobFromTheWeb() throws IOException {
    ComposeModel compose = ComposeModel.load(ROOT, "docker-compose.yml");
    for (String name : List.of("flink-jobmanager", "flink-taskmanager")) {
      String properties = compose.environment(name).get("FLINK_PROPERTIES");
      assertThat(properties)
          .as(name)
          .containsPattern("(?m)^web\\.submit\\.enable: false$")
          .containsPattern("(?m)^web\\.cancel\\.enable: false$");
    }
    // those flags hide buttons; Flink's REST API still cancels and stops jobs, so the host reaches
    // it only through a proxy that passes reads
    assertThat(compose.service("flink-ui").get("ports").toString()).contains(":8089");
    String proxy = Files.readString(ROOT.resolve("deploy/lb/flink-ui.conf"));
    assertThat(proxy)
        .containsPattern("limit_except GET \\{\\s*deny all;\\s*}")
        .contains("set $flink_jobmanager http://flink-jobmanager:8081;");
  }

  @Test
  void trinoNodesSignTheirTrafficWithASharedSecret() throws IOException {
    ComposeModel compose = ComposeModel.load(ROOT, "docker-compose.yml");
    for (String name : List.of("trino-coordinator", "trino-worker")) {
      assertThat(compose.environment(name).get("FLOE_TRINO_SHARED_SECRET")).as(name).isNotBlank();
    }
    for (String config :
        List.of("infra/trino/etc/config.properties", "infra/trino/worker/config.properties")) {
      assertThat(Files.readString(ROOT.resolve(config)))
          .as(config)
          .contains("internal-communication.shared-secret=${ENV:FLOE_TRINO_SHARED_SECRET}");
    }
  }

  @Test
  void grafanaLetsAnonymousUsersOnlyView() throws IOException {
    Map<String, String> env = ComposeModel.load(ROOT, "docker-compose.yml").environment("grafana");
    assertThat(env.get("GF_AUTH_ANONYMOUS_ORG_ROLE")).isEqualTo("Viewer");
    assertThat(env.get("GF_USERS_ALLOW_SIGN_UP")).isEqualTo("false");
  }

  @Test
  void everyPublishedServiceWaitsForTheAccessCheckAndReadsThePublishAddress() throws IOException {
    ComposeModel compose = ComposeModel.load(ROOT, "docker-compose.yml");
    compose.services.forEach(
        (name, service) -> {
          if (service.containsKey("ports")) {
            assertThat(compose.dependsOn(name))
                .as("%s starts only after the access check", name)
                .containsKey("access-check");
          }
        });
    for (String quarkus :
        List.of("producer-service", "query-service", "console", "catalog-service")) {
      Map<String, String> env = compose.environment(quarkus);
      assertThat(env.get("FLOE_PUBLISH_ADDRESS")).as(quarkus).isEqualTo("127.0.0.1");
      assertThat(env.get("QUARKUS_HTTP_HOST")).as(quarkus).isEqualTo("0.0.0.0");
    }
    Map<String, String> check = compose.environment("access-check");
    assertThat(check.keySet())
        .contains(
            "FLOE_PUBLISH_ADDRESS",
            "FLOE_PRODUCER_API_TOKEN",
            "FLOE_QUERY_API_TOKEN",
            "FLOE_CONSOLE_API_TOKEN",
            "FLOE_CATALOG_API_TOKEN",
            "FLOE_GRAFANA_ADMIN_PASSWORD",
            "FLOE_TRINO_SHARED_SECRET");
    // the check sees only what the operator set: no defaults of the compose file reach it
    check.forEach(
        (k, v) -> {
          if (!k.equals("FLOE_PUBLISH_ADDRESS")) {
            assertThat(v).as("%s reaches the check without a default", k).isEmpty();
          }
        });
  }

  @Test
  void theAccessCheckPassesOnLoopbackAndRefusesTheNetworkWithoutCredentials() throws Exception {
    assertThat(accessCheck(Map.of()).exit).isZero();
    assertThat(accessCheck(Map.of("FLOE_PUBLISH_ADDRESS", "127.0.0.1")).exit).isZero();

    Result open = accessCheck(Map.of("FLOE_PUBLISH_ADDRESS", "0.0.0.0"));
    assertThat(open.exit).isEqualTo(1);
    assertThat(open.output)
        .contains("beyond loopback")
        .contains("FLOE_PRODUCER_API_TOKEN")
        .contains("FLOE_QUERY_API_TOKEN")
        .contains("FLOE_CONSOLE_API_TOKEN")
        .contains("FLOE_CATALOG_API_TOKEN")
        .contains("FLOE_GRAFANA_ADMIN_PASSWORD")
        .contains("FLOE_TRINO_SHARED_SECRET");

    Result partly =
        accessCheck(
            Map.of(
                "FLOE_PUBLISH_ADDRESS", "192.0.2.10",
                "FLOE_PRODUCER_API_TOKEN", "p-token-1",
                "FLOE_QUERY_API_TOKEN", "q-token-1",
                "FLOE_CONSOLE_API_TOKEN", "c-token-1",
                "FLOE_CATALOG_API_TOKEN", "r-token-1",
                "FLOE_GRAFANA_ADMIN_PASSWORD", "g-password"));
    assertThat(partly.exit).isEqualTo(1);
    assertThat(partly.output).contains("FLOE_TRINO_SHARED_SECRET").doesNotContain("FLOE_QUERY");

    Result all =
        accessCheck(
            Map.of(
                "FLOE_PUBLISH_ADDRESS", "0.0.0.0",
                "FLOE_PRODUCER_API_TOKEN", "p-token-1",
                "FLOE_QUERY_API_TOKEN", "q-token-1",
                "FLOE_CONSOLE_API_TOKEN", "c-token-1",
                "FLOE_CATALOG_API_TOKEN", "r-token-1",
                "FLOE_GRAFANA_ADMIN_PASSWORD", "g-password",
                "FLOE_TRINO_SHARED_SECRET", "s-secret"));
    assertThat(all.exit).isZero();
  }

  private record Result(int exit, String output) {}

  private static Result accessCheck(Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", ROOT.resolve("deploy/access-check.sh").toString())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("FLOE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
