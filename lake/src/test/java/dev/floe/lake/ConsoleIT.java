package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.JobMetrics;
import dev.floe.infra.StackSettings;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The console on a whole lake started as {@code ./floe up} starts it (one producer replica with the
 * generator on, so the charts have a live stream): first its JSON API, then the page in a real
 * headless Chromium driven by Selenium. One lake for both; the test that stops a source runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  private static final Duration WITHIN = Duration.ofMinutes(3);
  static final Path CHROMIUM = Path.of(System.getProperty("floe.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("floe.chromedriver", "/usr/bin/chromedriver"));
  static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private static Path dataDir;
  private static Lake lake;
  private static String console;

  @BeforeAll
  static void startLake() throws Exception {
    Path home = Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();
    dataDir = Path.of("target", "console-it", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(dataDir);
    LakeSettings settings =
        LakeSettings.builder(StackSettings.forTests(dataDir))
            .home(home)
            .producerPorts(List.of(Processes.freePort()))
            .queryPort(Processes.freePort())
            .flinkRestPort(Processes.freePort())
            .consolePort(Processes.freePort())
            .generatorRate(20)
            .build();
    lake = Lake.start(settings, System.out::println);
    console = lake.consoleUrl();
  }

  @AfterAll
  static void stopLake() {
    if (lake != null) {
      lake.close();
    }
  }

  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return LakeClient.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  static Answer get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  static JsonNode overview() throws IOException, InterruptedException {
    Answer a = get(console + "/api/overview?points=120");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json();
  }

  static long points(JsonNode series, String name) {
    long n = 0;
    for (JsonNode v : series.path("values").path(name)) {
      n += v.isNull() ? 0 : 1;
    }
    return n;
  }

  static String sql(String sql) {
    return URLEncoder.encode(sql, StandardCharsets.UTF_8);
  }

  /** {@code ./floe raw TEXT}: the CLI's own code, against this lake's data directory. */
  static void floeRaw(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        LakeCli.run(
            new String[] {"raw", text},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            Map.of("FLOE_DATA_DIR", dataDir.toString()));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("written to events.raw/");
  }

  @Test
  @Order(1)
  void theApiShowsEverySourceUpWithLiveSeriesOfIngestJobLagFreshnessAndTheTable() throws Exception {
    await("every source up, every series with points")
        .atMost(WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonNode o = overview();
              for (JsonNode s : o.path("sources")) {
                assertThat(s.path("up").asBoolean()).as("%s", s).isTrue();
              }
              JsonNode series = o.path("series");
              assertThat(points(series, "ingest.producer-1.accepted")).isPositive();
              assertThat(points(series, "job.recordsIn")).isPositive();
              assertThat(points(series, "lag.0")).isPositive();
              assertThat(points(series, "freshness.p99")).isPositive();
              assertThat(points(series, "checkpoint.durationMs")).isPositive();
              assertThat(points(o.path("tableSeries"), "rows")).isPositive();
              assertThat(o.path("job").path("state").asText()).isEqualTo("RUNNING");
              assertThat(o.path("job").path(JobMetrics.COMMIT_INTERVAL_GAUGE).asLong())
                  .isPositive();
              assertThat(o.path("table").path("rows").asLong()).isPositive();
              assertThat(o.path("lag").size()).isEqualTo(4);
            });
    JsonNode o = overview();
    // the generator's 20 events/s, as the producer's counters move
    double lastRate = 0;
    for (JsonNode v : o.path("series").path("values").path("ingest.producer-1.accepted")) {
      lastRate = v.isNull() ? lastRate : v.asDouble();
    }
    assertThat(lastRate).isBetween(1.0, 200.0);
    // freshness is the job's metric (producedAt to commit): a few seconds at most here
    assertThat(o.path("job").path(JobMetrics.FRESHNESS_P50_GAUGE).asLong()).isBetween(1L, 60_000L);
    assertThat(o.path("job").path(JobMetrics.FRESHNESS_P99_GAUGE).asLong())
        .isGreaterThanOrEqualTo(o.path("job").path(JobMetrics.FRESHNESS_P50_GAUGE).asLong());

    Answer openapi = get(console + "/q/openapi?format=json");
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.json().path("paths").has("/api/overview")).isTrue();
    assertThat(openapi.json().path("paths").has("/api/query")).isTrue();
  }

  @Test
  @Order(2)
  void sqlGoesThroughTheQueryServiceAndItsAnswersComeBackAsTheyCame() throws Exception {
    Answer rows = get(console + "/api/query?sql=" + sql("SELECT count(*) AS n FROM events"));
    assertThat(rows.status()).as(rows.body()).isEqualTo(200);
    assertThat(rows.json().path("rows").path(0).path(0).asLong()).isPositive();

    Answer csv =
        get(console + "/api/query?format=csv&sql=" + sql("SELECT 1 AS one, 'a' AS letter"));
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body().lines().toList()).containsExactly("one,letter", "1,a");

    Answer refused = get(console + "/api/query?sql=" + sql("DELETE FROM events"));
    Answer direct = get(lake.queryUrl() + "/query?sql=" + sql("DELETE FROM events"));
    assertThat(refused.status()).isEqualTo(403).isEqualTo(direct.status());
    assertThat(refused.json().path("error").asText()).isEqualTo("statement_refused");
    assertThat(refused.json().path("detail")).isEqualTo(direct.json().path("detail"));

    // time travel: the oldest snapshot holds fewer rows than now, or as many
    JsonNode snapshots = get(console + "/api/snapshots").json().path("snapshots");
    assertThat(snapshots.size()).isPositive();
    String first = snapshots.path(0).path("snapshotId").asText();
    Answer then =
        get(
            console
                + "/api/query?snapshot="
                + first
                + "&sql="
                + sql("SELECT count(*) FROM events"));
    assertThat(then.status()).as(then.body()).isEqualTo(200);
    assertThat(then.json().path("rows").path(0).path(0).asLong())
        .isLessThanOrEqualTo(rows.json().path("rows").path(0).path(0).asLong());
  }

  @Test
  @Order(3)
  void aGarbageRecordShowsInTheDeadLettersWithItsReasonAndPayload() throws Exception {
    String garbage = "not json at all " + UUID.randomUUID();
    floeRaw(garbage);
    await("the garbage in /api/dead-letters")
        .atMost(WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonNode d = get(console + "/api/dead-letters").json();
              assertThat(d.path("byReason").path("MALFORMED_JSON").asLong()).isPositive();
              List<String> payloads = new ArrayList<>();
              d.path("latest").forEach(l -> payloads.add(l.path("payload").asText()));
              assertThat(payloads).contains(garbage);
            });
  }

  @Test
  @Order(4)
  void theConsoleInARealBrowser() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no Chromium here ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "): the browser test needs Debian's packages: "
            + INSTALL);
    Path profile = Files.createTempDirectory(dataDir, "chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,2600",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    WebDriver driver = new ChromeDriver(service, options);
    try {
      driver.get(console + "/");
      List<String> charts =
          List.of(
              "chart-ingest",
              "chart-job",
              "chart-lag",
              "chart-freshness",
              "chart-checkpoint",
              "chart-table");
      await("every chart with points of the live stream")
          .atMost(WITHIN)
          .pollInterval(Duration.ofSeconds(1))
          // the page redraws its panels: an element read a moment after it was found may be gone
          .ignoreException(StaleElementReferenceException.class)
          .untilAsserted(
              () -> {
                for (String id : charts) {
                  WebElement chart = driver.findElement(By.id(id));
                  assertThat(Integer.parseInt(chart.getDomAttribute("data-points")))
                      .as("points of %s", id)
                      .isPositive();
                  // uPlot drew it: its canvas is there
                  assertThat(chart.findElements(By.cssSelector("canvas"))).isNotEmpty();
                }
                assertThat(driver.findElement(By.id("source-flink")).getDomAttribute("data-up"))
                    .isEqualTo("true");
              });
      // the points move with the stream: more of them a few seconds later
      int before =
          Integer.parseInt(
              driver.findElement(By.id("chart-ingest")).getDomAttribute("data-points"));
      await("new points on the ingest chart")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          // the page redraws its panels: an element read a moment after it was found may be gone
          .ignoreException(StaleElementReferenceException.class)
          .until(
              () ->
                  Integer.parseInt(
                          driver.findElement(By.id("chart-ingest")).getDomAttribute("data-points"))
                      > before);
      List<LogEntry> errors =
          driver.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
              .toList();
      assertThat(errors).as("console errors of the page").isEmpty();

      // a query typed in the SQL box returns rows
      WebElement box = driver.findElement(By.id("sql"));
      box.clear();
      box.sendKeys("SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC");
      driver.findElement(By.id("run")).click();
      await("rows in the result grid")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          // the page redraws its panels: an element read a moment after it was found may be gone
          .ignoreException(StaleElementReferenceException.class)
          .untilAsserted(
              () ->
                  assertThat(driver.findElements(By.cssSelector("#result tbody tr"))).isNotEmpty());
      assertThat(driver.findElement(By.cssSelector("#result thead")).getText()).contains("type");

      // a garbage record sent with ./floe raw appears in the dead-letter panel
      String garbage = "{broken json from the browser test " + UUID.randomUUID();
      floeRaw(garbage);
      await("the garbage in the dead-letter panel")
          .atMost(WITHIN)
          .pollInterval(Duration.ofSeconds(1))
          // the page redraws its panels: an element read a moment after it was found may be gone
          .ignoreException(StaleElementReferenceException.class)
          .untilAsserted(
              () ->
                  assertThat(
                          driver.findElements(By.cssSelector("#dlq-latest pre.payload")).stream()
                              .map(WebElement::getText)
                              .toList())
                      .contains(garbage));
      screenshot(driver, "console.png");

      // a stopped source shows as down (the producer replica, stopped as a crash would)
      ProcessHandle producer =
          new PidFile(dataDir.resolve("run").resolve(Lake.producerName(0) + ".pid"))
              .liveProcess()
              .orElseThrow();
      producer.destroy();
      await("producer-1 down on the page")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          // the page redraws its panels: an element read a moment after it was found may be gone
          .ignoreException(StaleElementReferenceException.class)
          .untilAsserted(
              () -> {
                WebElement s = driver.findElement(By.id("source-producer-1"));
                assertThat(s.getDomAttribute("data-up")).isEqualTo("false");
                assertThat(s.getText()).contains("down");
              });
      // the rest of the page still lives
      assertThat(driver.findElement(By.id("source-flink")).getDomAttribute("data-up"))
          .isEqualTo("true");
      screenshot(driver, "console-producer-down.png");
    } finally {
      driver.quit();
    }
  }

  private static void screenshot(WebDriver driver, String name) throws IOException {
    Path target = Path.of("target", name).toAbsolutePath();
    byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(target, png);
    System.out.println("ConsoleIT: screenshot " + target);
  }
}
