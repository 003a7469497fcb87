package dev.floe.query.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LakeResource.class)
class QueryApiIT {

  private final Lake lake = Lake.get();

  private static JsonPath query(String sql) {
    return given()
        .queryParam("sql", sql)
        .when()
        .get("/query")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void returnsColumnsTypedRowsAndTrinosQueryId() {
    JsonPath answer =
        query(
            "SELECT event_id, type, occurred_at, kafka_partition, kafka_offset FROM events"
                + " WHERE type = 'click' ORDER BY event_id");

    assertThat(answer.getList("columns", Map.class))
        .containsExactly(
            Map.of("name", "event_id", "type", "varchar"),
            Map.of("name", "type", "type", "varchar"),
            Map.of("name", "occurred_at", "type", "timestamp(6) with time zone"),
            Map.of("name", "kafka_partition", "type", "integer"),
            Map.of("name", "kafka_offset", "type", "bigint"));
    assertThat(answer.getList("rows", List.class))
        .containsExactly(
            List.of("e-1", "click", "2024-05-01T10:00:00.123456Z", 0, 1),
            List.of("e-3", "click", "2024-05-01T10:05:00Z", 0, 2),
            List.of("e-5", "click", "2024-05-01T11:30:00Z", 0, 3));
    assertThat(answer.getInt("rowCount")).isEqualTo(3);
    assertThat(answer.getBoolean("truncated")).isFalse();
    assertThat(answer.getString("queryId")).matches("\\d{8}_\\d{6}_\\d{5}_\\w+");
    assertThat(answer.getLong("elapsedMs")).isNotNegative();
  }

  @Test
  void mapsTrinoTypesToJson() {
    JsonPath answer =
        query(
            "SELECT true AS b, 1.5e0 AS d, DECIMAL '12.25' AS m, DATE '2024-05-01' AS day,"
                + " TIMESTAMP '2024-05-01 10:00:00.500' AS ts, ARRAY[1, 2] AS a,"
                + " MAP(ARRAY['k'], ARRAY[7]) AS kv, CAST(NULL AS varchar) AS n, X'CAFE' AS bin");

    assertThat(answer.getList("columns.type"))
        .containsExactly(
            "boolean",
            "double",
            "decimal(4,2)",
            "date",
            "timestamp(3)",
            "array(integer)",
            "map(varchar(1),integer)",
            "varchar",
            "varbinary");
    List<Object> row = answer.getList("rows[0]");
    assertThat(row.get(0)).isEqualTo(true);
    assertThat(row.get(1)).isEqualTo(1.5f);
    assertThat(row.get(2).toString()).isEqualTo("12.25");
    assertThat(row.get(3)).isEqualTo("2024-05-01");
    assertThat(row.get(4)).isEqualTo("2024-05-01T10:00:00.500");
    assertThat(row.get(5)).isEqualTo(List.of(1, 2));
    assertThat(row.get(6)).isEqualTo(Map.of("k", 7));
    assertThat(row.get(7)).isNull();
    assertThat(row.get(8)).isEqualTo("yv4=");
  }

  @Test
  void postTakesTheStatementAsTheBody() {
    given()
        .contentType("text/plain")
        .body("SELECT count(*) AS n\nFROM events -- all of them\n")
        .when()
        .post("/query")
        .then()
        .statusCode(200)
        .body("rows[0][0]", equalTo(Lake.ALL_ROWS))
        .body("columns[0].type", equalTo("bigint"));
  }

  @Test
  void answersCsvWhenAskedFor() {
    String csv =
        given()
            .accept("text/csv")
            .queryParam(
                "sql", "SELECT event_id, type, occurred_at FROM events ORDER BY event_id LIMIT 2")
            .when()
            .get("/query")
            .then()
            .statusCode(200)
            .contentType(startsWith("text/csv"))
            .header("X-Floe-Row-Count", "2")
            .extract()
            .asString();

    assertThat(csv)
        .isEqualTo(
            "event_id,type,occurred_at\r\n"
                + "e-1,click,2024-05-01T10:00:00.123456Z\r\n"
                + "e-2,view,2024-05-01T10:00:30Z\r\n");
  }

  @Test
  void theRowLimitTruncates() {
    String sql = "SELECT x FROM UNNEST(sequence(1, 1500)) t(x) ORDER BY x";
    JsonPath byDefault = query(sql);
    assertThat(byDefault.getInt("rowCount")).isEqualTo(1000);
    assertThat(byDefault.getBoolean("truncated")).isTrue();

    JsonPath two =
        given()
            .queryParam("sql", sql)
            .queryParam("limit", 2)
            .get("/query")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(two.getList("rows", List.class)).containsExactly(List.of(1), List.of(2));
    assertThat(two.getBoolean("truncated")).isTrue();

    // Above the configured maximum (1200 in these tests) the limit is capped.
    JsonPath capped =
        given()
            .queryParam("sql", sql)
            .queryParam("limit", 5000)
            .get("/query")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(capped.getInt("rowCount")).isEqualTo(1200);
    assertThat(capped.getBoolean("truncated")).isTrue();

    JsonPath exact =
        given()
            .queryParam("sql", "SELECT * FROM UNNEST(sequence(1, 3))")
            .queryParam("limit", 3)
            .get("/query")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(exact.getBoolean("truncated")).isFalse();
  }

  @Test
  void timeTravelReadsAnOlderState() {
    String sql = "SELECT count(*), max(event_id) FROM events";
    long firstInsert = lake.snapshots.get(lake.snapshots.size() - 2);

    given()
        .queryParam("sql", sql)
        .queryParam("snapshot", firstInsert)
        .get("/query")
        .then()
        .statusCode(200)
        .body("rows[0]", equalTo(List.of(Lake.FIRST_COMMIT_ROWS, "e-3")));

    String betweenCommits = committedAt(firstInsert);
    given()
        .queryParam("sql", sql)
        .queryParam("asOf", betweenCommits)
        .get("/query")
        .then()
        .statusCode(200)
        .body("rows[0]", equalTo(List.of(Lake.FIRST_COMMIT_ROWS, "e-3")));

    given()
        .queryParam("sql", sql)
        .queryParam("asOf", java.time.Instant.now().toString())
        .get("/query")
        .then()
        .statusCode(200)
        .body("rows[0]", equalTo(List.of(Lake.ALL_ROWS, "e-5")));
  }

  @Test
  void timeTravelNeedsTheBareTableName() {
    given()
        .queryParam("sql", "SELECT count(*) FROM " + lake.table)
        .queryParam("snapshot", 1)
        .get("/query")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"))
        .body("detail", containsString("bare name events"));
  }

  @Test
  void showDescribeAndExplainAreReads() {
    assertThat(query("SHOW TABLES").getList("rows", List.class)).contains(List.of("events"));
    assertThat(query("DESCRIBE events").getList("rows.collect { it[0] }"))
        .contains("event_id", "occurred_at", "kafka_offset");
    assertThat(query("EXPLAIN SELECT count(*) FROM events").getInt("rowCount")).isEqualTo(1);
  }

  @Test
  void syntaxAndSemanticErrorsAre400WithTrinosMessage() {
    given()
        .queryParam("sql", "SELECT FROM WHERE")
        .get("/query")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_query"))
        .body("detail", containsString("mismatched input"));
    given()
        .queryParam("sql", "SELECT no_such_column FROM events")
        .get("/query")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_query"))
        .body("detail", containsString("Column 'no_such_column' cannot be resolved"));
  }

  @Test
  void aTextWhoseFirstWordIsNotSqlIs400NotForbidden() {
    given()
        .queryParam("sql", "SELEC 1")
        .get("/query")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("detail", containsString("syntax error"))
        .body("detail", containsString("SELEC"));
  }

  @Test
  void anUnknownTableIs404() {
    given()
        .queryParam("sql", "SELECT * FROM no_such_table")
        .get("/query")
        .then()
        .statusCode(404)
        .body("error", equalTo("not_found"))
        .body("detail", containsString("does not exist"));
  }

  @Test
  void aRefusedStatementIs403WithTheReason() {
    given()
        .queryParam("sql", "DELETE FROM events")
        .get("/query")
        .then()
        .statusCode(403)
        .body("error", equalTo("statement_refused"))
        .body("detail", startsWith("DELETE statements are not allowed"));
  }

  @Test
  void badParametersAre400() {
    given()
        .queryParam("sql", "SELECT 1")
        .queryParam("limit", 0)
        .get("/query")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"));
    given()
        .queryParam("sql", "SELECT 1 FROM events")
        .queryParam("asOf", "yesterday")
        .get("/query")
        .then()
        .statusCode(400)
        .body("detail", containsString("asOf"));
    given().get("/query").then().statusCode(400).body("error", equalTo("invalid_query"));
  }

  private String committedAt(long snapshot) {
    try (var c = lake.admin();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT to_iso8601(committed_at + INTERVAL '0.001' SECOND) FROM "
                    + lake.schema
                    + ".\"events$snapshots\" WHERE snapshot_id = "
                    + snapshot)) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
