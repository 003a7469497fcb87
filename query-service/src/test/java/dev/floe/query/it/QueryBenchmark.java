package dev.floe.query.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints how much the service adds to a query: the same statements timed through {@code GET /query}
 * and straight through Trino JDBC (as the same read-only user), interleaved in one run, with median
 * and p95 of each and their ratio. Not a timed test: it asserts only that both paths answered. Run
 * it with {@code ./mvnw -B -f query-service/pom.xml verify -Pbenchmark} (runs, default 60, with
 * {@code -Dfloe.benchmark.runs=N}).
 */
@QuarkusTest
@QuarkusTestResource(LakeResource.class)
class QueryBenchmark {

  private static final int WARMUP = 10;
  private static final List<String> QUERIES =
      List.of(
          "SELECT count(*) FROM events",
          "SELECT event_id, type, user_id, occurred_at FROM events ORDER BY occurred_at DESC",
          "SELECT type, count(*) FROM events GROUP BY type ORDER BY type");

  @TestHTTPResource("/query")
  URI queryEndpoint;

  private final Lake lake = Lake.get();

  @Test
  void serviceAgainstStraightJdbc() throws Exception {
    int runs = Integer.getInteger("floe.benchmark.runs", 60);
    HttpClient http = HttpClient.newHttpClient();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "%nquery-service benchmark: %d runs per path and query (after %d warm-up runs)%n"
                + "%-80s %12s %12s %12s %12s %8s %8s%n",
            runs,
            WARMUP,
            "query",
            "svc median",
            "svc p95",
            "jdbc median",
            "jdbc p95",
            "ratio50",
            "ratio95"));
    double totalService = 0;
    double totalJdbc = 0;
    try (Connection jdbc = lake.asQueryUser()) {
      jdbc.setCatalog(lake.schema.substring(0, lake.schema.indexOf('.')));
      jdbc.setSchema(lake.schema.substring(lake.schema.indexOf('.') + 1));
      for (String sql : QUERIES) {
        List<Long> service = new ArrayList<>();
        List<Long> straight = new ArrayList<>();
        for (int i = 0; i < WARMUP + runs; i++) {
          long viaService = timeService(http, sql);
          long viaJdbc = timeJdbc(jdbc, sql);
          if (i >= WARMUP) {
            service.add(viaService);
            straight.add(viaJdbc);
          }
        }
        double s50 = percentile(service, 50);
        double s95 = percentile(service, 95);
        double j50 = percentile(straight, 50);
        double j95 = percentile(straight, 95);
        totalService += s50;
        totalJdbc += j50;
        report.append(
            String.format(
                Locale.ROOT,
                "%-80s %10.1fms %10.1fms %10.1fms %10.1fms %8.3f %8.3f%n",
                sql,
                s50,
                s95,
                j50,
                j95,
                s50 / j50,
                s95 / j95));
      }
    }
    report.append(
        String.format(
            Locale.ROOT,
            "sum of medians: service %.1f ms, JDBC %.1f ms, ratio %.3f (target <= 1.1)%n",
            totalService,
            totalJdbc,
            totalService / totalJdbc));
    System.out.println(report);
    assertThat(totalJdbc).isPositive();
  }

  private long timeService(HttpClient http, String sql) throws Exception {
    URI uri = URI.create(queryEndpoint + "?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
    long started = System.nanoTime();
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    long elapsed = System.nanoTime() - started;
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return elapsed;
  }

  private static long timeJdbc(Connection jdbc, String sql) throws Exception {
    long started = System.nanoTime();
    try (Statement statement = jdbc.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
      }
    }
    return System.nanoTime() - started;
  }

  private static double percentile(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1_000_000.0;
  }
}
