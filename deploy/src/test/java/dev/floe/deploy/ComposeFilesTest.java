package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.deploy.ComposeModel.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static checks of the compose files (there is no Docker engine on the build machines): each
 * variant is merged the way compose merges it and checked against the repository.
 */
class ComposeFilesTest {

  private static final Path ROOT = Path.of(System.getProperty("floe.root", "..")).toAbsolutePath();
  private static final String VERSION = System.getProperty("floe.version", "0.1.0-SNAPSHOT");

  /** Services meant to run more than once: no fixed name, no host port. */
  private static final Set<String> SCALABLE =
      Set.of("producer-service", "flink-taskmanager", "trino-worker");

  /** Documented variables of the images we do not build (their entrypoints read them). */
  private static final Set<String> FLINK_IMAGE_VARIABLES =
      Set.of(
          "FLINK_PROPERTIES",
          "ENABLE_BUILT_IN_PLUGINS",
          "JOB_MANAGER_RPC_ADDRESS",
          "TASK_MANAGER_NUMBER_OF_TASK_SLOTS",
          "DISABLE_JEMALLOC");

  private static final Set<String> POSTGRES_IMAGE_VARIABLES =
      Set.of("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");

  /** Grafana reads GF_<SECTION>_<KEY> for every key of grafana.ini; the ones we set. */
  private static final Set<String> GRAFANA_IMAGE_VARIABLES =
      Set.of(
          "GF_SECURITY_ADMIN_PASSWORD",
          "GF_AUTH_ANONYMOUS_ENABLED",
          "GF_AUTH_ANONYMOUS_ORG_ROLE",
          "GF_USERS_ALLOW_SIGN_UP",
          "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(List.of("docker-compose.yml")),
        Arguments.of(List.of("docker-compose.yml", "docker-compose.gcs.yml")),
        Arguments.of(List.of("docker-compose.yml", "docker-compose.gcs-emulator.yml")));
  }

  private static ComposeModel load(List<String> files) throws IOException {
    return ComposeModel.load(ROOT, files.toArray(String[]::new));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyImageIsPinnedToAVersion(List<String> files) throws IOException {
    ComposeModel compose = load(files);
    compose.services.forEach(
        (name, service) -> {
          String image = String.valueOf(service.get("image"));
          int colon = image.lastIndexOf(':');
          assertThat(colon)
              .as("%s: image %s has a tag", name, image)
              .isGreaterThan(image.lastIndexOf('/'));
          String tag = image.substring(colon + 1);
          assertThat(tag).as("%s: tag of %s", name, image).isNotBlank().isNotEqualTo("latest");
          if (image.startsWith("floe/")) {
            assertThat(tag).as("%s: our images carry the project version", name).isEqualTo(VERSION);
          }
        });
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyLongRunningServiceHasAHealthCheckAndEveryDependencyWaitsForIt(List<String> files)
      throws IOException {
    ComposeModel compose = load(files);
    Set<String> oneShots = oneShots(compose);
    assertThat(oneShots).as("the topic creator is the one-shot job").contains("kafka-topics");
    compose.services.forEach(
        (name, service) -> {
          if (oneShots.contains(name)) {
            assertThat(service.get("restart")).as("%s runs once", name).isNull();
            return;
          }
          assertThat(service.get("healthcheck")).as("%s has a health check", name).isNotNull();
          assertThat(ComposeModel.asMap(service.get("healthcheck")).get("test"))
              .as("%s: health check test", name)
              .isNotNull();
          assertThat(service.get("restart")).as("%s restarts", name).isEqualTo("unless-stopped");
        });
    for (String name : compose.services.keySet()) {
      compose
          .dependsOn(name)
          .forEach(
              (dependency, spec) -> {
                assertThat(compose.services)
                    .as("%s depends on a known service", name)
                    .containsKey(dependency);
                Object condition = spec == null ? null : ComposeModel.asMap(spec).get("condition");
                if (oneShots.contains(dependency)) {
                  assertThat(condition)
                      .as("%s waits for %s to complete", name, dependency)
                      .isEqualTo("service_completed_successfully");
                } else {
                  assertThat(condition)
                      .as("%s waits for %s to be healthy", name, dependency)
                      .isEqualTo("service_healthy");
                }
              });
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void scalableServicesHaveNeitherAFixedNameNorAHostPort(List<String> files) throws IOException {
    ComposeModel compose = load(files);
    for (String name : SCALABLE) {
      Map<String, Object> service = compose.service(name);
      assertThat(service).as(name).doesNotContainKey("container_name").doesNotContainKey("ports");
    }
    compose.services.forEach(
        (name, service) ->
            assertThat(service)
                .as("%s: no fixed container name", name)
                .doesNotContainKey("container_name"));
    // the producers are reached through the load balancer, which re-resolves their DNS name
    assertThat(compose.service("producer-lb").get("ports").toString()).contains(":8080");
    String nginx = Files.readString(ROOT.resolve("deploy/lb/nginx.conf"));
    assertThat(nginx)
        .contains("resolver 127.0.0.11 valid=5s")
        .contains("set $producer_service http://producer-service:8080;")
        .contains("proxy_pass $producer_service;");
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyMountedFileExistsInTheRepositoryAndEveryVolumeIsDeclared(List<String> files)
      throws IOException {
    ComposeModel compose = load(files);
    for (String name : compose.services.keySet()) {
      for (Mount mount : compose.mounts(name)) {
        if (!mount.bind()) {
          String volume = mount.source() == null ? null : mount.source();
          if (volume != null) {
            assertThat(compose.volumes)
                .as("%s: named volume %s declared", name, volume)
                .containsKey(volume);
          }
          continue;
        }
        if (mount.source().startsWith(ComposeModel.REQUIRED)) {
          // the only host path outside the repository: the user's own service-account key, read
          // by the one-shot that copies it for the containers
          assertThat(mount.source())
              .as(name)
              .isEqualTo(ComposeModel.REQUIRED + "GOOGLE_APPLICATION_CREDENTIALS>");
          assertThat(name).isEqualTo("gcs-key");
          assertThat(mount.target()).isEqualTo("/run/floe/host-key.json");
          continue;
        }
        assertThat(mount.source())
            .as("%s: %s is a path in the repository", name, mount.source())
            .startsWith("./");
        assertThat(ROOT.resolve(mount.source()).normalize())
            .as("%s mounts %s", name, mount.source())
            .exists();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyEnvironmentVariableIsOneTheServiceReads(List<String> files) throws IOException {
    ComposeModel compose = load(files);
    Set<String> flinkJob =
        ServiceConfiguration.flinkJobVariables(
            ROOT.resolve("flink-job/src/main/java/dev/floe/job/config/JobOptions.java"));
    assertThat(flinkJob).contains("FLOE_KAFKA_BOOTSTRAP_SERVERS", "FLOE_CHECKPOINT_DIR");
    Set<String> producer = ServiceConfiguration.quarkusVariables(ROOT.resolve("producer-service"));
    assertThat(producer).contains("KAFKA_BOOTSTRAP_SERVERS", "FLOE_PRODUCER_GENERATOR_ENABLED");
    Set<String> query = ServiceConfiguration.quarkusVariables(ROOT.resolve("query-service"));
    assertThat(query).contains("FLOE_QUERY_TRINO_URL");
    Set<String> console = ServiceConfiguration.quarkusVariables(ROOT.resolve("console"));
    Set<String> catalog = ServiceConfiguration.quarkusVariables(ROOT.resolve("catalog-service"));
    assertThat(catalog).contains("FLOE_CATALOG_URI", "FLOE_CATALOG_ADMIN_TOKEN");
    assertThat(console).contains("FLOE_CONSOLE_FLINK_REST_URL", "FLOE_CONSOLE_PRODUCER_URLS");
    Properties kafkaServer =
        ServiceConfiguration.load(ROOT.resolve("infra/kafka/server.properties"));

    for (String name : compose.services.keySet()) {
      Map<String, String> env = compose.environment(name);
      Set<String> allowed = new TreeSet<>();
      switch (name) {
        case "kafka" -> {
          allowed.add("CLUSTER_ID");
          // the image turns KAFKA_FOO_BAR into foo.bar; we only override keys of the infra file
          for (String key : env.keySet()) {
            if (key.startsWith("KAFKA_")) {
              String property = key.substring("KAFKA_".length()).toLowerCase().replace('_', '.');
              assertThat(kafkaServer.stringPropertyNames())
                  .as("kafka: %s overrides a key of infra/kafka/server.properties", key)
                  .contains(property);
              allowed.add(key);
            }
          }
        }
        case "kafka-topics" ->
            allowed.addAll(
                ServiceConfiguration.shellVariables(ROOT.resolve("deploy/kafka/create-topics.sh")));
        case "postgres" -> allowed.addAll(POSTGRES_IMAGE_VARIABLES);
        case "access-check" ->
            allowed.addAll(
                ServiceConfiguration.shellVariables(ROOT.resolve("deploy/access-check.sh")));
        case "flink-jobmanager" -> {
          allowed.addAll(flinkJob);
          allowed.addAll(FLINK_IMAGE_VARIABLES);
        }
        case "flink-taskmanager" -> allowed.addAll(FLINK_IMAGE_VARIABLES);
        case "trino-coordinator", "trino-worker" -> {
          List<Path> mounted = new ArrayList<>();
          for (Mount mount : compose.mounts(name)) {
            if (mount.bind() && mount.source().startsWith("./")) {
              mounted.add(ROOT.resolve(mount.source()));
            }
          }
          allowed.addAll(ServiceConfiguration.trinoVariables(mounted));
          // and what the start script itself reads (the catalog type, the REST catalog's token)
          allowed.addAll(
              ServiceConfiguration.shellVariables(ROOT.resolve("deploy/trino/start-trino.sh")));
        }
        case "producer-service" -> allowed.addAll(producer);
        case "query-service" -> allowed.addAll(query);
        case "console" -> allowed.addAll(console);
        case "catalog-service" -> allowed.addAll(catalog);
        case "grafana" -> allowed.addAll(GRAFANA_IMAGE_VARIABLES);
        default -> {
          // nginx, fake-gcs-server, prometheus: configured by mounted files and arguments only
        }
      }
      assertThat(allowed)
          .as("%s reads every variable it is given (%s)", name, files)
          .containsAll(env.keySet());
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void topicsAndCatalogAreTheOnesTheEmbeddedStackUses(List<String> files) throws IOException {
    ComposeModel compose = load(files);
    assertThat(compose.mountAt("kafka-topics", "/etc/floe/kafka/topics.properties"))
        .map(Mount::source)
        .contains("./infra/kafka/topics.properties");
    assertThat(compose.mountAt("kafka", "/mnt/shared/config/server.properties"))
        .map(Mount::source)
        .contains("./infra/kafka/server.properties");
    Set<String> topics =
        ServiceConfiguration.load(ROOT.resolve("infra/kafka/topics.properties"))
            .stringPropertyNames();
    assertThat(topics).contains("events.raw", "events.clean", "events.dlq");
    compose
        .environment("flink-jobmanager")
        .forEach(
            (key, value) -> {
              if (key.startsWith("FLOE_KAFKA_TOPIC_")) {
                assertThat(topics).as(key).contains(value);
              }
            });

    Properties catalog =
        ServiceConfiguration.load(ROOT.resolve("infra/catalog/catalog.properties"));
    String database = catalog.getProperty("database");
    String jdbcUrl = "jdbc:postgresql://postgres:5432/" + database;
    Map<String, String> postgres = compose.environment("postgres");
    assertThat(postgres)
        .containsEntry("POSTGRES_DB", database)
        .containsEntry("POSTGRES_USER", catalog.getProperty("user"))
        .containsEntry("POSTGRES_PASSWORD", catalog.getProperty("password"));
    Map<String, String> job = compose.environment("flink-jobmanager");
    assertThat(job)
        .containsEntry("FLOE_CATALOG_NAME", catalog.getProperty("catalog.name"))
        .containsEntry("FLOE_CATALOG_URI", jdbcUrl)
        .containsEntry("FLOE_CATALOG_USER", catalog.getProperty("user"))
        .containsEntry("FLOE_CATALOG_PASSWORD", catalog.getProperty("password"));
    for (String trino : List.of("trino-coordinator", "trino-worker")) {
      assertThat(compose.environment(trino))
          .as(trino)
          .containsEntry("FLOE_CATALOG_NAME", catalog.getProperty("catalog.name"))
          .containsEntry("FLOE_CATALOG_JDBC_URL", jdbcUrl)
          .containsEntry("FLOE_CATALOG_USER", catalog.getProperty("user"))
          .containsEntry("FLOE_CATALOG_PASSWORD", catalog.getProperty("password"));
      assertThat(compose.mountAt(trino, "/etc/floe/trino/catalog"))
          .map(Mount::source)
          .contains("./infra/trino/etc/catalog");
      // Flink writes and Trino reads the same warehouse
      String warehouse = job.get("FLOE_CATALOG_WAREHOUSE");
      assertThat(compose.environment(trino)).as(trino).containsEntry("FLOE_WAREHOUSE", warehouse);
    }
    assertThat(compose.mountAt("trino-coordinator", "/etc/trino/access-control.properties"))
        .map(Mount::source)
        .contains("./infra/trino/etc/access-control.properties");
    assertThat(compose.mountAt("trino-coordinator", "/etc/trino/rules.json"))
        .map(Mount::source)
        .contains("./infra/trino/etc/rules.json");
  }

  /** Services others wait on with service_completed_successfully. */
  private static Set<String> oneShots(ComposeModel compose) {
    Set<String> result = new TreeSet<>();
    for (String name : compose.services.keySet()) {
      compose
          .dependsOn(name)
          .forEach(
              (dependency, spec) -> {
                if (spec != null
                    && "service_completed_successfully"
                        .equals(ComposeModel.asMap(spec).get("condition"))) {
                  result.add(dependency);
                }
              });
    }
    return result;
  }
}
