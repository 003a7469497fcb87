package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.JobSizing;
import dev.floe.contract.SettingsDocs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LakeSettingsTest {

  @Test
  void defaultsAreTheDocumentedPorts() {
    LakeSettings s = LakeCli.settings(List.of(), Map.of());
    assertThat(s.producerPorts()).containsExactly(8080);
    assertThat(s.queryPort()).isEqualTo(8081);
    assertThat(s.flinkRestPort()).isEqualTo(8089);
    assertThat(s.generatorRate()).isEqualTo(5.0);
    assertThat(s.flinkHeap()).isEqualTo("1g");
    assertThat(s.flinkManagedMemory()).isEqualTo("256m");
    assertThat(s.serviceHeap()).isEqualTo("256m");
    assertThat(s.dataDir()).isEqualTo(Path.of("").toAbsolutePath().resolve(".floe"));
    assertThat(s.home()).isEqualTo(Path.of("").toAbsolutePath());
  }

  @Test
  void moreReplicasCountUpFrom8082() {
    assertThat(LakeCli.settings(List.of("--producers", "3"), Map.of()).producerPorts())
        .containsExactly(8080, 8082, 8083);
  }

  @Test
  void replicaPortsStepOverTheQueryAndFlinkPorts() {
    LakeSettings s =
        LakeCli.settings(
            List.of("--producers", "3"),
            Map.of("FLOE_PRODUCER_PORT", "9000", "FLOE_QUERY_PORT", "9001"));
    assertThat(s.producerPorts()).containsExactly(9000, 9002, 9003);
  }

  @Test
  void environmentAndOptionsApply() {
    LakeSettings s =
        LakeCli.settings(
            List.of("--no-generator"),
            Map.of(
                "FLOE_PRODUCERS", "2",
                "FLOE_HOME", "/opt/floe",
                "FLOE_DATA_DIR", "/var/floe",
                "FLOE_FLINK_REST_PORT", "18089",
                "FLOE_FLINK_HEAP", "2g"));
    assertThat(s.producerPorts()).containsExactly(8080, 8082);
    assertThat(s.generatorRate()).isZero();
    assertThat(s.home()).isEqualTo(Path.of("/opt/floe"));
    assertThat(s.dataDir()).isEqualTo(Path.of("/var/floe"));
    assertThat(s.flinkRestPort()).isEqualTo(18089);
    assertThat(s.flinkHeap()).isEqualTo("2g");
    assertThat(LakeCli.settings(List.of("--generator-rate", "20"), Map.of()).generatorRate())
        .isEqualTo(20.0);
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> LakeCli.settings(List.of("--producers", "0"), Map.of()))
        .hasMessage("FLOE_PRODUCERS (--producers) must be between 1 and 50, got 0");
    assertThatThrownBy(() -> LakeCli.settings(List.of(), Map.of("FLOE_QUERY_PORT", "x")))
        .hasMessage("FLOE_QUERY_PORT must be a whole number, got 'x'");
    assertThatThrownBy(() -> LakeCli.settings(List.of(), Map.of("FLOE_QUERY_PORT", "8088")))
        .hasMessage("FLOE_QUERY_PORT and FLOE_TRINO_PORT must differ, both are 8088");
    assertThatThrownBy(() -> LakeCli.settings(List.of(), Map.of("FLOE_FLINK_HEAP", "lots")))
        .hasMessage("FLOE_FLINK_HEAP must be a JVM heap size like 512m or 1g, got 'lots'");
    assertThatThrownBy(() -> LakeCli.settings(List.of("--generator-rate", "-1"), Map.of()))
        .hasMessage(
            "FLOE_PRODUCER_GENERATOR_RATE (--generator-rate) must be between 0 and 100000, got -1.0");
    assertThatThrownBy(() -> LakeCli.settings(List.of("--producers"), Map.of()))
        .hasMessage("--producers needs a value");
    assertThatThrownBy(() -> LakeCli.settings(List.of("--replicas", "2"), Map.of()))
        .hasMessageStartingWith("unknown option '--replicas'");
  }

  @Test
  void missingBuildOutputsAreNamedWithTheBuildCommand(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThatThrownBy(() -> new Artifacts(dir).requireBuilt())
        .hasMessageContaining("flink-job/target/classes")
        .hasMessageContaining("producer-service/target/quarkus-app/quarkus-run.jar")
        .hasMessageContaining("query-service/target/quarkus-app/quarkus-run.jar")
        .hasMessageEndingWith("./mvnw -B -q -DskipTests install");
  }

  @Test
  void theNewestCompleteCheckpointOnDiskIsReported(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path job = java.nio.file.Files.createDirectories(dir.resolve("0123abcd"));
    for (int n : new int[] {7, 8}) {
      Path chk = java.nio.file.Files.createDirectories(job.resolve("chk-" + n));
      java.nio.file.Files.writeString(chk.resolve("_metadata"), "x");
      java.nio.file.Files.setLastModifiedTime(
          chk.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(1_000L * n));
    }
    // in progress when the job stopped: no _metadata, never resumed from
    java.nio.file.Files.createDirectories(job.resolve("chk-9"));
    assertThat(LakeStatus.newestCheckpointOnDisk(dir))
        .hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(8));
  }

  /** Every variable the lake reads on top of the platform's, with its default. */
  private static final Map<String, String> PINNED =
      Map.ofEntries(
          Map.entry("FLOE_HOME", "<cwd>"),
          Map.entry("FLOE_PRODUCERS", "1"),
          Map.entry("FLOE_PRODUCER_PORT", "8080"),
          Map.entry("FLOE_QUERY_PORT", "8081"),
          Map.entry("FLOE_FLINK_REST_PORT", "8089"),
          Map.entry("FLOE_PRODUCER_GENERATOR_RATE", "5.0"),
          Map.entry("FLOE_FLINK_HEAP", "1g"),
          Map.entry("FLOE_FLINK_MANAGED_MEMORY", "256m"),
          Map.entry("FLOE_SERVICE_HEAP", "256m"),
          Map.entry("FLOE_SUPERVISE", "true"),
          Map.entry("FLOE_PARALLELISM", "<half the cores>"),
          Map.entry("FLOE_CONSOLE_PORT", "8090"),
          Map.entry("FLOE_LISTEN_ADDRESS", "127.0.0.1"),
          Map.entry("FLOE_PRODUCER_API_TOKEN", "(unset)"),
          Map.entry("FLOE_QUERY_API_TOKEN", "(unset)"),
          Map.entry("FLOE_CONSOLE_API_TOKEN", "(unset)"),
          Map.entry("FLOE_CATALOG_PORT", "8181"));

  @Test
  void everyVariableHasItsDefaultPinnedAndIsInTheReadme() {
    SettingsDocs.RecordingEnvironment stackEnv = new SettingsDocs.RecordingEnvironment();
    dev.floe.infra.StackSettings.fromEnvironment(stackEnv);
    SettingsDocs.RecordingEnvironment env = new SettingsDocs.RecordingEnvironment();
    LakeSettings s = LakeSettings.fromEnvironment(env).build();
    java.util.List<String> own =
        env.keys().stream().filter(k -> !stackEnv.keys().contains(k)).toList();
    Map<String, String> actual = new java.util.HashMap<>();
    actual.put(
        "FLOE_HOME",
        s.home()
            .toString()
            .replace(java.nio.file.Path.of("").toAbsolutePath().toString(), "<cwd>"));
    actual.put("FLOE_PRODUCERS", Integer.toString(s.producerPorts().size()));
    actual.put("FLOE_PRODUCER_PORT", Integer.toString(s.producerPorts().get(0)));
    actual.put("FLOE_QUERY_PORT", Integer.toString(s.queryPort()));
    actual.put("FLOE_FLINK_REST_PORT", Integer.toString(s.flinkRestPort()));
    actual.put("FLOE_PRODUCER_GENERATOR_RATE", Double.toString(s.generatorRate()));
    actual.put("FLOE_FLINK_HEAP", s.flinkHeap());
    actual.put("FLOE_FLINK_MANAGED_MEMORY", s.flinkManagedMemory());
    actual.put("FLOE_SERVICE_HEAP", s.serviceHeap());
    actual.put("FLOE_SUPERVISE", Boolean.toString(s.supervise()));
    actual.put("FLOE_CONSOLE_PORT", Integer.toString(s.consolePort()));
    actual.put("FLOE_LISTEN_ADDRESS", s.listenAddress());
    for (String token : LakeSettings.API_TOKENS) {
      // the catalog's token is the platform's variable too (Trino sends it): pinned there
      if (own.contains(token)) {
        actual.put(token, s.apiToken(token).orElse("(unset)"));
      }
    }
    actual.put("FLOE_CATALOG_PORT", Integer.toString(s.catalogPort()));
    actual.put(
        "FLOE_PARALLELISM",
        s.jobParallelism() == JobSizing.parallelism()
            ? "<half the cores>"
            : Integer.toString(s.jobParallelism()));
    assertThat(own).as("variables read").containsExactlyInAnyOrderElementsOf(PINNED.keySet());
    SettingsDocs.assertDefaultsPinned(actual, PINNED);
    SettingsDocs.assertDocumented(own);
  }

  @Test
  void theServicesListenOnLoopbackUnlessOpenedOnPurpose() {
    LakeSettings s = LakeCli.settings(List.of(), Map.of());
    assertThat(s.listenAddress()).isEqualTo("127.0.0.1");
    assertThat(s.localHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void listeningBeyondLoopbackWithoutTokensIsRefusedNamingEachMissingSetting() {
    assertThatThrownBy(() -> LakeCli.settings(List.of("--listen", "0.0.0.0"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would listen on 0.0.0.0 (FLOE_LISTEN_ADDRESS, --listen)")
        .hasMessageContaining(
            "FLOE_PRODUCER_API_TOKEN, FLOE_QUERY_API_TOKEN, FLOE_CONSOLE_API_TOKEN,"
                + " FLOE_CATALOG_API_TOKEN");
    assertThatThrownBy(
            () ->
                LakeCli.settings(
                    List.of(),
                    Map.of(
                        "FLOE_LISTEN_ADDRESS", "192.0.2.7",
                        "FLOE_PRODUCER_API_TOKEN", "producer-secret",
                        "FLOE_QUERY_API_TOKEN", " ")))
        .hasMessageContaining(
            "Set FLOE_QUERY_API_TOKEN, FLOE_CONSOLE_API_TOKEN, FLOE_CATALOG_API_TOKEN (")
        .hasMessageNotContaining("FLOE_PRODUCER_API_TOKEN");
  }

  @Test
  void theCliRefusesToStartAnOpenLakeWithoutTokens() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertThatThrownBy(
            () ->
                LakeCli.run(
                    new String[] {"up", "--listen", "0.0.0.0"},
                    new java.io.PrintStream(out),
                    Map.of("FLOE_DATA_DIR", "target/never-started")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refuses to start");
    assertThat(java.nio.file.Path.of("target/never-started")).doesNotExist();
  }

  @Test
  void listeningBeyondLoopbackWithEveryTokenStarts() {
    LakeSettings s =
        LakeCli.settings(
            List.of("--listen", "0.0.0.0"),
            Map.of(
                "FLOE_PRODUCER_API_TOKEN", "producer-secret",
                "FLOE_QUERY_API_TOKEN", "query-secret",
                "FLOE_CONSOLE_API_TOKEN", "console-secret",
                "FLOE_CATALOG_API_TOKEN", "catalog-secret"));
    assertThat(s.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(s.localHost())
        .as("clients on this machine still use loopback")
        .isEqualTo("127.0.0.1");
    assertThat(s.apiToken("FLOE_QUERY_API_TOKEN")).contains("query-secret");
  }
}
