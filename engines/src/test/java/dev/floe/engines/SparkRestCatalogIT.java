package dev.floe.engines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.it.CatalogLake;
import dev.floe.contract.LakeNames;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.child.ChildMain;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.SupervisedProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apache Spark in local mode reads the lake through the catalog-service, as a data team's Spark
 * would: {@code spark.sql.catalog.floe.type=rest} at the service's URL, nothing else. The lake is
 * the embedded one (PostgreSQL, Trino) with {@code lake.events} created from the job's schema,
 * evolved and seeded ({@link CatalogLake}); the catalog-service and the query-service run as their
 * packaged fast-jars. Spark must see what Trino and {@code GET /query} see.
 */
class SparkRestCatalogIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CatalogLake lake;
  private static SupervisedProcess catalogService;
  private static SupervisedProcess queryService;
  private static String catalogUrl;
  private static String queryUrl;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    lake = CatalogLake.get();
    EmbeddedStack stack = lake.stack;
    int catalogPort = Processes.freePort();
    catalogUrl = "http://127.0.0.1:" + catalogPort;
    Map<String, String> catalogEnv = new LinkedHashMap<>();
    catalogEnv.put("QUARKUS_HTTP_PORT", Integer.toString(catalogPort));
    catalogEnv.put("FLOE_CATALOG_URI", stack.catalogJdbcUrl());
    catalogEnv.put("FLOE_CATALOG_USER", stack.catalogUser());
    catalogEnv.put("FLOE_CATALOG_PASSWORD", stack.catalogPassword());
    catalogEnv.put("FLOE_CATALOG_WAREHOUSE", stack.warehouse());
    catalogService = quarkus("catalog-service", catalogPort, catalogEnv);

    int queryPort = Processes.freePort();
    queryUrl = "http://127.0.0.1:" + queryPort;
    Map<String, String> queryEnv = new LinkedHashMap<>();
    queryEnv.put("QUARKUS_HTTP_PORT", Integer.toString(queryPort));
    queryEnv.put("FLOE_QUERY_TRINO_URL", stack.trinoJdbcUrl());
    queryEnv.put("FLOE_QUERY_TRINO_USER", EmbeddedStack.TRINO_QUERY_USER);
    queryService = quarkus("query-service", queryPort, queryEnv);
    catalogService.awaitReady();
    queryService.awaitReady();

    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("floe-spark-rest-catalog")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.catalog.floe", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.floe.type", "rest")
            .config("spark.sql.catalog.floe.uri", catalogUrl)
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (queryService != null) {
      queryService.stop();
    }
    if (catalogService != null) {
      catalogService.stop();
    }
  }

  private static SupervisedProcess quarkus(String module, int port, Map<String, String> env) {
    Path jar = Path.of(System.getProperty("floe." + module + ".jar"));
    assertThat(jar).as("build %s first (-am)", module).isRegularFile();
    Path dir = lake.stack.dataDir().resolve("services").resolve(module);
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String infra;
    try {
      infra =
          Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    // behind infra's parent watchdog, as ./floe runs the services: it ends with the test JVM
    return SupervisedProcess.builder(module)
        .command(
            List.of(
                javaBin,
                "-Xmx256m",
                "-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid(),
                "-cp",
                infra + java.io.File.pathSeparator + jar,
                ChildMain.class.getName(),
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint"))
        .env(env)
        .workDir(dir)
        .logFile(lake.stack.logDir().resolve(module + ".log"))
        .pidFile(lake.stack.dataDir().resolve("run").resolve(module + ".pid"))
        .readiness(() -> status("http://127.0.0.1:" + port + "/q/health/ready") == 200)
        .startTimeout(Duration.ofMinutes(2))
        .stopTimeout(Duration.ofSeconds(20))
        .start();
  }

  private static int status(String url) throws java.io.IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s answered %s", url, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode query(String sql) throws Exception {
    return getJson(queryUrl + "/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
  }

  private static final String SPARK_TABLE = "floe." + LakeNames.NAMESPACE + "." + LakeNames.TABLE;

  @Test
  void sparkCountsWhatTrinoCountsOnTheSameSnapshot() throws Exception {
    long snapshot =
        lake.trinoLong(
            "SELECT snapshot_id FROM "
                + LakeNames.TRINO_CATALOG
                + "."
                + LakeNames.NAMESPACE
                + ".\"events$snapshots\" ORDER BY committed_at DESC LIMIT 1");
    long trino =
        lake.trinoLong(
            "SELECT count(*) FROM " + LakeNames.TRINO_TABLE + " FOR VERSION AS OF " + snapshot);
    long sparkCount =
        spark
            .sql("SELECT count(*) FROM " + SPARK_TABLE + " VERSION AS OF " + snapshot)
            .first()
            .getLong(0);
    System.out.printf(
        "snapshot %d: Spark counts %d rows of %s through the REST catalog, Trino counts %d%n",
        snapshot, sparkCount, SPARK_TABLE, trino);
    assertThat(sparkCount).isEqualTo(trino).isEqualTo(CatalogLake.ROWS);
  }

  @Test
  void sparkSeesTheSameIdsPropertiesAsAMapAndTheEvolvedColumn() throws Exception {
    List<String> sparkIds = new ArrayList<>();
    for (Row r :
        spark.sql("SELECT event_id FROM " + SPARK_TABLE + " ORDER BY event_id").collectAsList()) {
      sparkIds.add(r.getString(0));
    }
    List<String> trinoIds = new ArrayList<>();
    for (JsonNode row :
        query("SELECT event_id FROM " + LakeNames.TRINO_TABLE + " ORDER BY event_id").get("rows")) {
      trinoIds.add(row.get(0).asText());
    }
    System.out.println("ids: Spark " + sparkIds + ", GET /query " + trinoIds);
    assertThat(sparkIds).isEqualTo(trinoIds).contains("e-1", "e-4");

    var schema = spark.table(SPARK_TABLE).schema();
    assertThat(schema.apply("properties").dataType()).isInstanceOf(MapType.class);
    assertThat(schema.fieldNames()).contains(CatalogLake.EVOLVED);

    Row e1 =
        spark
            .sql(
                "SELECT properties['page'], "
                    + CatalogLake.EVOLVED
                    + " FROM "
                    + SPARK_TABLE
                    + " WHERE event_id = 'e-1'")
            .first();
    JsonNode viaQuery =
        query(
                "SELECT properties['page'], "
                    + CatalogLake.EVOLVED
                    + " FROM events WHERE event_id = 'e-1'")
            .get("rows")
            .get(0);
    System.out.printf(
        "e-1: Spark properties['page']=%s %s=%s; GET /query properties['page']=%s %s=%s%n",
        e1.getString(0),
        CatalogLake.EVOLVED,
        e1.getString(1),
        viaQuery.get(0).asText(),
        CatalogLake.EVOLVED,
        viaQuery.get(1).asText());
    assertThat(e1.getString(0)).isEqualTo(viaQuery.get(0).asText()).isEqualTo("/home");
    assertThat(e1.getString(1)).isEqualTo(viaQuery.get(1).asText()).isEqualTo("pro");
  }
}
