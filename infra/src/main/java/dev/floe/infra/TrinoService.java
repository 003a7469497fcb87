package dev.floe.infra;

import dev.floe.infra.child.ChildMain;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.SupervisedProcess;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Trino 476 (coordinator and worker in one JVM) on a JDK 24+, with the Iceberg JDBC catalog. */
final class TrinoService {

  private static final Pattern NOT_STARTING = Pattern.compile("\"starting\"\\s*:\\s*false");
  private static final Pattern NEXT_URI = Pattern.compile("\"nextUri\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern QUERY_ERROR = Pattern.compile("\"error\"\\s*:\\s*\\{");

  private final StackSettings settings;
  private final Map<String, String> placeholders;
  private final Path home;
  private final Path logFile;
  private final Path pidFile;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private SupervisedProcess process;

  TrinoService(
      StackSettings settings, CatalogConfig catalog, String catalogJdbcUrl, String warehouse) {
    this.settings = settings;
    this.home = settings.dataDir().resolve("trino");
    this.logFile = settings.dataDir().resolve("logs").resolve("trino.log");
    this.pidFile = settings.dataDir().resolve("run").resolve("trino.pid");
    this.placeholders =
        Map.ofEntries(
            Map.entry("FLOE_TRINO_PORT", Integer.toString(settings.trinoPort())),
            Map.entry("FLOE_CATALOG_JDBC_URL", catalogJdbcUrl),
            Map.entry("FLOE_CATALOG_USER", catalog.user()),
            Map.entry("FLOE_CATALOG_PASSWORD", catalog.password()),
            Map.entry("FLOE_CATALOG_NAME", catalog.catalogName()),
            Map.entry("FLOE_WAREHOUSE", warehouse),
            Map.entry("FLOE_TRINO_CATALOG_DIR", home.resolve("etc").resolve("catalog").toString()),
            // one node, one start: a fresh secret each time signs the node's internal requests
            Map.entry("FLOE_TRINO_SHARED_SECRET", newSecret()),
            Map.entry("FLOE_TRINO_REST_CATALOG_URI", settings.restCatalogUri()),
            Map.entry("FLOE_CATALOG_API_TOKEN", settings.restCatalogToken().orElse("")));
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  String uri() {
    return "http://127.0.0.1:" + settings.trinoPort();
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Died without {@link #stop()}: the process this instance launched is gone. */
  boolean crashed() {
    return process != null && !process.isAlive();
  }

  synchronized void launch() {
    if (isRunning()) {
      return;
    }
    new PidFile(pidFile).stopLeftoverAndDelete(Duration.ofSeconds(20));
    Processes.requireFree("Trino", settings.trinoPort(), "FLOE_TRINO_PORT");
    Path javaBin =
        JdkLocator.trinoJava(
            settings.trinoJavaHome(), System.getenv(), Path.of(System.getProperty("java.home")));
    Path server =
        TrinoDistribution.ensureUnpacked(
            settings.cacheDir(),
            Platform.archive("trino-server.path"),
            Platform.archive("trino-iceberg.path"));
    Path etc = home.resolve("etc");
    writeConfig(etc, server);

    List<String> jvmOptions = new ArrayList<>();
    for (String line : Platform.text("trino/etc/jvm.config").split("\n")) {
      String opt = line.trim();
      if (opt.isEmpty() || opt.startsWith("#")) {
        continue;
      }
      jvmOptions.add(opt.startsWith("-Xmx") ? "-Xmx" + settings.trinoHeap() : opt);
    }
    // the effective options, for whoever reads the data dir's etc/ to see how Trino runs
    Platform.write(etc.resolve("jvm.config"), String.join("\n", jvmOptions) + "\n");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin.toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(Platform.childJvmOptions("trino", settings.dataDir()));
    // What Trino's launcher passes: node properties as system properties, the config file, the log
    // levels.
    Properties node = nodeProperties();
    for (String key : node.stringPropertyNames()) {
      cmd.add("-D" + key + "=" + node.getProperty(key));
    }
    cmd.add("-Dconfig=" + etc.resolve("config.properties"));
    cmd.add("-Dlog.levels-file=" + etc.resolve("log.properties"));
    cmd.add("-cp");
    cmd.add(Platform.ownCodeLocation() + java.io.File.pathSeparator + server.resolve("lib") + "/*");
    cmd.add(ChildMain.class.getName());
    cmd.add("io.trino.server.TrinoServer");
    process =
        SupervisedProcess.builder("trino")
            .displayName("Trino (port " + settings.trinoPort() + ")")
            .command(cmd)
            .workDir(home)
            .logFile(logFile)
            .pidFile(pidFile)
            .readiness(this::started)
            .startTimeout(settings.startTimeout())
            .stopTimeout(Duration.ofSeconds(20))
            .start();
  }

  void awaitReady() {
    process.awaitReady();
  }

  synchronized void stop() {
    if (process != null) {
      process.stop();
      process = null;
    }
  }

  private boolean started() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(uri() + "/v1/info"))
                .timeout(Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && NOT_STARTING.matcher(r.body()).find() && answersQueries();
  }

  /**
   * {@code /v1/info} reports "not starting" before the coordinator has announced itself as a
   * worker; a query sent in between fails with "nodes is empty". Ready therefore also means: a
   * query runs to completion.
   */
  private boolean answersQueries() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(uri() + "/v1/statement"))
                .timeout(Duration.ofSeconds(5))
                .header("X-Trino-User", EmbeddedStack.TRINO_ADMIN_USER)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "SELECT count(*) FROM system.runtime.nodes"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (int page = 0; page < 100 && r.statusCode() == 200; page++) {
      if (QUERY_ERROR.matcher(r.body()).find()) {
        return false;
      }
      Matcher next = NEXT_URI.matcher(r.body());
      if (!next.find()) {
        return true;
      }
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(next.group(1)))
                  .timeout(Duration.ofSeconds(5))
                  .header("X-Trino-User", EmbeddedStack.TRINO_ADMIN_USER)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
    return false;
  }

  private Properties nodeProperties() {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Platform.text("trino/etc/node.properties")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    p.setProperty("node.data-dir", home.resolve("data").toString());
    // Without it Trino announces the machine's first network address, which may not be reachable.
    p.setProperty("node.internal-address", "127.0.0.1");
    // Trino binds every interface unless told; the lake's Trino is reached only through the
    // query-service and the operator's own machine (its admin user has no password), so it binds
    // loopback always, whatever the services' --listen says
    p.setProperty("node.bind-ip", "127.0.0.1");
    return p;
  }

  private void writeConfig(Path etc, Path server) {
    StringBuilder node = new StringBuilder();
    nodeProperties().forEach((k, v) -> node.append(k).append('=').append(v).append('\n'));
    Platform.write(etc.resolve("node.properties"), node.toString());
    Platform.write(
        etc.resolve("config.properties"),
        Platform.substitute(Platform.text("trino/etc/config.properties"), placeholders)
            + "\n# added by the embedded stack: the unpacked server's plugins\nplugin.dir="
            + server.resolve("plugin")
            + "\n");
    String iceberg =
        Platform.substitute(Platform.text("trino/etc/catalog/iceberg.properties"), placeholders);
    Platform.write(
        etc.resolve("catalog").resolve("iceberg.properties"),
        StackSettings.TRINO_CATALOG_REST.equals(settings.trinoCatalogType())
            ? restCatalog(
                Platform.substitute(Platform.text("trino/rest/iceberg.properties"), placeholders),
                settings.restCatalogToken())
            : iceberg);
    // the admin catalog goes straight to the JDBC catalog in either case
    Platform.write(
        etc.resolve("catalog").resolve(EmbeddedStack.TRINO_ADMIN_CATALOG + ".properties"),
        adminCatalog(iceberg));
    Platform.write(
        etc.resolve("catalog-store.properties"),
        Platform.substitute(Platform.text("trino/etc/catalog-store.properties"), placeholders));
    Platform.write(
        etc.resolve("access-control.properties"),
        Platform.text("trino/etc/access-control.properties"));
    Platform.write(etc.resolve("rules.json"), Platform.text("trino/etc/rules.json"));
    Platform.write(etc.resolve("log.properties"), Platform.text("trino/etc/log.properties"));
  }

  /**
   * The lake's catalog through the catalog-service, with its API token when one is set (what
   * start-trino.sh appends for compose).
   */
  static String restCatalog(String restProperties, java.util.Optional<String> token) {
    return token
        .map(
            t ->
                restProperties
                    + "iceberg.rest-catalog.security=OAUTH2\n"
                    + "iceberg.rest-catalog.oauth2.token="
                    + t
                    + "\n")
        .orElse(restProperties);
  }

  /**
   * The admin catalog: the lake's read-only catalog with writes allowed (what start-trino.sh does
   * with sed for compose).
   */
  static String adminCatalog(String icebergProperties) {
    String admin =
        icebergProperties.replaceFirst(
            "(?m)^iceberg\\.security=read-only$", "iceberg.security=allow-all");
    if (admin.equals(icebergProperties)) {
      throw new IllegalStateException(
          "trino/etc/catalog/iceberg.properties has no line iceberg.security=read-only");
    }
    return admin;
  }
}
