package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.SettingsDocs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTest {

  @Test
  void defaultsAreTheDocumentedPorts() {
    StackSettings s = StackSettings.fromEnvironment(Map.of());
    assertThat(s.kafkaPort()).isEqualTo(9092);
    assertThat(s.kafkaControllerPort()).isEqualTo(9093);
    assertThat(s.postgresPort()).isEqualTo(5433);
    assertThat(s.trinoPort()).isEqualTo(8088);
    assertThat(s.trinoHeap()).isEqualTo("2G");
    assertThat(s.services()).containsExactlyInAnyOrder(Service.values());
    assertThat(s.dataDir()).isEqualTo(Path.of("").toAbsolutePath().resolve(".floe"));
  }

  @Test
  void environmentOverridesEverySetting(@TempDir Path dir) {
    Path data = dir.resolve("floe-data");
    Path cache = dir.resolve("floe-cache");
    StackSettings s =
        StackSettings.fromEnvironment(
            Map.of(
                "FLOE_DATA_DIR", data.toString(),
                "FLOE_CACHE_DIR", cache.toString(),
                "FLOE_KAFKA_PORT", "19092",
                "FLOE_KAFKA_CONTROLLER_PORT", "19093",
                "FLOE_POSTGRES_PORT", "15433",
                "FLOE_TRINO_PORT", "18088",
                "FLOE_TRINO_HEAP", "1G",
                "FLOE_SERVICES", "kafka, postgres"));
    assertThat(s.dataDir()).isEqualTo(data);
    assertThat(s.cacheDir()).isEqualTo(cache);
    assertThat(s.kafkaPort()).isEqualTo(19092);
    assertThat(s.kafkaControllerPort()).isEqualTo(19093);
    assertThat(s.postgresPort()).isEqualTo(15433);
    assertThat(s.trinoPort()).isEqualTo(18088);
    assertThat(s.trinoHeap()).isEqualTo("1G");
    assertThat(s.services()).containsExactlyInAnyOrder(Service.KAFKA, Service.POSTGRES);
  }

  @Test
  void trinoBringsPostgresAlong() {
    assertThat(StackSettings.builder().services(Service.TRINO).build().services())
        .containsExactlyInAnyOrder(Service.TRINO, Service.POSTGRES);
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("FLOE_KAFKA_PORT", "abc")))
        .hasMessageContaining("FLOE_KAFKA_PORT");
    assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("FLOE_TRINO_PORT", "70000")))
        .hasMessageContaining("FLOE_TRINO_PORT");
    assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("FLOE_TRINO_HEAP", "lots")))
        .hasMessageContaining("FLOE_TRINO_HEAP");
    assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("FLOE_SERVICES", "kafka,flink")))
        .hasMessageContaining("FLOE_SERVICES")
        .hasMessageContaining("flink");
    assertThatThrownBy(() -> StackSettings.fromEnvironment(Map.of("FLOE_POSTGRES_PORT", "9092")))
        .hasMessageContaining("FLOE_KAFKA_PORT")
        .hasMessageContaining("FLOE_POSTGRES_PORT");
    assertThatThrownBy(
            () -> StackSettings.fromEnvironment(Map.of("FLOE_TRINO_CATALOG_TYPE", "hive")))
        .hasMessageContaining("FLOE_TRINO_CATALOG_TYPE must be jdbc or rest");
  }

  @Test
  void testSettingsUseFreeDistinctPortsAndASmallTrinoHeap(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    StackSettings s = StackSettings.forTests(dir);
    assertThat(s.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(s.kafkaPort()).isNotEqualTo(9092);
    assertThat(s.trinoPort()).isNotEqualTo(8088);
    assertThat(s.trinoHeap()).isEqualTo("1G");
  }

  /** Every variable the platform reads, with its default (after Trino's assertRecordedDefaults). */
  private static final Map<String, String> PINNED =
      Map.ofEntries(
          Map.entry("FLOE_DATA_DIR", "<cwd>/.floe"),
          Map.entry("FLOE_CACHE_DIR", "~/.cache/floe"),
          Map.entry("FLOE_KAFKA_PORT", "9092"),
          Map.entry("FLOE_KAFKA_CONTROLLER_PORT", "9093"),
          Map.entry("FLOE_POSTGRES_PORT", "5433"),
          Map.entry("FLOE_TRINO_PORT", "8088"),
          Map.entry("TRINO_JAVA_HOME", SettingsDocs.NO_DEFAULT),
          Map.entry("FLOE_TRINO_HEAP", "2G"),
          Map.entry("FLOE_CATALOG_PASSWORD", SettingsDocs.NO_DEFAULT),
          Map.entry("FLOE_SERVICES", "[KAFKA, POSTGRES, TRINO]"),
          Map.entry("FLOE_TRINO_CATALOG_TYPE", "jdbc"),
          Map.entry("FLOE_TRINO_REST_CATALOG_URI", "http://127.0.0.1:8181"),
          Map.entry("FLOE_CATALOG_API_TOKEN", SettingsDocs.NO_DEFAULT));

  @Test
  void everyVariableHasItsDefaultPinnedAndIsInTheReadme() {
    SettingsDocs.RecordingEnvironment env = new SettingsDocs.RecordingEnvironment();
    StackSettings s = StackSettings.fromEnvironment(env);
    Path cwd = Path.of("").toAbsolutePath();
    Map<String, String> actual = new java.util.HashMap<>();
    actual.put("FLOE_DATA_DIR", s.dataDir().toString().replace(cwd.toString(), "<cwd>"));
    actual.put(
        "FLOE_CACHE_DIR", s.cacheDir().toString().replace(System.getProperty("user.home"), "~"));
    actual.put("FLOE_KAFKA_PORT", Integer.toString(s.kafkaPort()));
    actual.put("FLOE_KAFKA_CONTROLLER_PORT", Integer.toString(s.kafkaControllerPort()));
    actual.put("FLOE_POSTGRES_PORT", Integer.toString(s.postgresPort()));
    actual.put("FLOE_TRINO_PORT", Integer.toString(s.trinoPort()));
    actual.put(
        "TRINO_JAVA_HOME", s.trinoJavaHome().map(Path::toString).orElse(SettingsDocs.NO_DEFAULT));
    actual.put("FLOE_TRINO_HEAP", s.trinoHeap());
    actual.put("FLOE_CATALOG_PASSWORD", s.catalogPassword().orElse(SettingsDocs.NO_DEFAULT));
    actual.put("FLOE_SERVICES", new java.util.TreeSet<>(s.services()).toString());
    actual.put("FLOE_TRINO_CATALOG_TYPE", s.trinoCatalogType());
    actual.put("FLOE_TRINO_REST_CATALOG_URI", s.restCatalogUri());
    actual.put("FLOE_CATALOG_API_TOKEN", s.restCatalogToken().orElse(SettingsDocs.NO_DEFAULT));
    assertThat(env.keys())
        .as("variables read")
        .containsExactlyInAnyOrderElementsOf(PINNED.keySet());
    SettingsDocs.assertDefaultsPinned(actual, PINNED);
    SettingsDocs.assertDocumented(env.keys());
  }
}
