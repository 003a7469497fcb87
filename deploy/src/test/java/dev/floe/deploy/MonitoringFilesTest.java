package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Prometheus and Grafana of the compose deployment, checked against the compose file and the code
 * that registers the metrics: every scrape target is a service on the port it serves, and every
 * metric a dashboard panel asks for is one a module registers, so a renamed metric fails the build
 * instead of leaving an empty panel.
 */
class MonitoringFilesTest {

  private static final Path ROOT = Path.of(System.getProperty("floe.root", "..")).toAbsolutePath();
  private static final Pattern METRIC = Pattern.compile("\\b([a-z][a-zA-Z0-9_]*_[a-zA-Z0-9_]+)\\b");
  private static final String FLINK_OPERATOR = "flink_taskmanager_job_task_operator_";

  /** Flink's own metrics the dashboard reads (documented names of the Prometheus reporter). */
  private static final Set<String> FLINK_BUILT_IN =
      Set.of(
          "flink_jobmanager_job_lastCheckpointDuration",
          "flink_jobmanager_job_lastCheckpointSize",
          "flink_jobmanager_job_numRestarts",
          "flink_jobmanager_job_numberOfFailedCheckpoints",
          FLINK_OPERATOR + "pendingRecords");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesServicesOfTheComposeFileOnThePortsTheyServe() throws IOException {
    ComposeModel compose = ComposeModel.load(ROOT, "docker-compose.yml");
    Map<String, Object> config = yaml(ROOT.resolve("deploy/prometheus/prometheus.yml"));
    List<String> jobs = new ArrayList<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
      jobs.add((String) job.get("job_name"));
      List<String> targets = new ArrayList<>();
      for (Map<String, Object> s :
          (List<Map<String, Object>>) job.getOrDefault("static_configs", List.of())) {
        targets.addAll((List<String>) s.get("targets"));
      }
      for (Map<String, Object> d :
          (List<Map<String, Object>>) job.getOrDefault("dns_sd_configs", List.of())) {
        for (String name : (List<String>) d.get("names")) {
          targets.add(name + ":" + d.get("port"));
        }
      }
      for (String target : targets) {
        String host = target.substring(0, target.indexOf(':'));
        int port = Integer.parseInt(target.substring(target.indexOf(':') + 1));
        assertThat(compose.services).as("scrape target %s", target).containsKey(host);
        if (host.startsWith("flink-")) {
          assertThat(compose.environment(host).get("FLINK_PROPERTIES"))
              .as("%s runs the Prometheus reporter on %d", host, port)
              .contains(
                  "metrics.reporter.prom.factory.class:"
                      + " org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
              .contains("metrics.reporter.prom.port: " + port);
        } else {
          Path properties = ROOT.resolve(host).resolve("src/main/resources/application.properties");
          assertThat(ServiceConfiguration.load(properties).getProperty("quarkus.http.port"))
              .as("%s serves on %d", host, port)
              .isEqualTo(Integer.toString(port));
        }
      }
    }
    assertThat(jobs)
        .contains(
            "producer-service",
            "query-service",
            "console",
            "flink-jobmanager",
            "flink-taskmanager");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyDashboardPanelReadsAMetricThatIsRegisteredAndTheProvisionedDataSource()
      throws IOException {
    Map<String, Object> datasources =
        yaml(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
    String uid =
        (String) ((List<Map<String, Object>>) datasources.get("datasources")).get(0).get("uid");
    Map<String, Object> dashboard = yaml(ROOT.resolve("deploy/grafana/dashboards/floe.json"));
    Set<String> registered = registeredMetrics();
    List<Map<String, Object>> panels = (List<Map<String, Object>>) dashboard.get("panels");
    assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
    for (Map<String, Object> panel : panels) {
      assertThat(((Map<String, Object>) panel.get("datasource")).get("uid"))
          .as("data source of %s", panel.get("title"))
          .isEqualTo(uid);
      for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
        String expr = (String) target.get("expr");
        Matcher m = METRIC.matcher(expr.replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", ""));
        int found = 0;
        while (m.find()) {
          String name = m.group(1);
          if (!name.startsWith("floe_") && !name.startsWith("flink_")) {
            continue; // a label or a function
          }
          found++;
          assertThat(registered).as("%s: metric %s", panel.get("title"), name).contains(name);
        }
        assertThat(found).as("%s: %s names a metric", panel.get("title"), expr).isPositive();
      }
    }
  }

  /**
   * Metric names as Prometheus sees them: Micrometer's (dots to underscores, counters with _total)
   * of the Quarkus modules, and the job's group {@code floe} as Flink's reporter names operator
   * metrics.
   */
  private static Set<String> registeredMetrics() throws IOException {
    Set<String> names = new TreeSet<>(FLINK_BUILT_IN);
    // Counter.builder("floe.x"), Gauge.builder("floe.x", ...), or the console's gauge("floe.x",
    // ...)
    Pattern micrometer =
        Pattern.compile(
            "(?:(Counter|Gauge|FunctionCounter)\\.builder|gauge)\\(\\s*\"(floe\\.[a-z0-9_.]+)\"");
    for (String module : List.of("producer-service", "console")) {
      for (String text : sources(ROOT.resolve(module).resolve("src/main/java"))) {
        Matcher m = micrometer.matcher(text);
        while (m.find()) {
          String base = m.group(2).replace('.', '_');
          boolean gauge = m.group(1) == null || m.group(1).equals("Gauge");
          names.add(gauge ? base : base + "_total");
          names.add(base);
        }
      }
    }
    // group.counter("name") / group.gauge("name", ...), or through a constant NAME_GAUGE = "name"
    // (the job's metric names are constants of the contract's JobMetrics)
    Pattern flink =
        Pattern.compile(
            "(?:\\.(?:counter|gauge)\\(\\s*|_(?:GAUGE|COUNTER)\\s*=\\s*)\"([A-Za-z0-9]+)\"");
    List<String> jobSources = new ArrayList<>(sources(ROOT.resolve("flink-job/src/main/java")));
    jobSources.addAll(sources(ROOT.resolve("contract/src/main/java")));
    for (String text : jobSources) {
      Matcher m = flink.matcher(text);
      while (m.find()) {
        names.add(FLINK_OPERATOR + "floe_" + m.group(1));
      }
    }
    return names;
  }

  private static List<String> sources(Path dir) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        texts.add(Files.readString(p));
      }
    }
    return texts;
  }
}
