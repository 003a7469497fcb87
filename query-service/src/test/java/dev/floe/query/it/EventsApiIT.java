package dev.floe.query.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LakeResource.class)
class EventsApiIT {

  private final Lake lake = Lake.get();

  private static JsonPath get(String path, Object... params) {
    var request = given();
    for (int i = 0; i < params.length; i += 2) {
      request = request.queryParam((String) params[i], params[i + 1]);
    }
    return request.when().get(path).then().statusCode(200).extract().jsonPath();
  }

  @Test
  void eventsNewestFirstWithEveryField() {
    JsonPath page = get("/events");

    assertThat(page.getList("events.eventId")).containsExactly("e-5", "e-4", "e-3", "e-2", "e-1");
    Map<String, Object> e1 = new java.util.HashMap<>();
    e1.put("eventId", "e-1");
    e1.put("type", "click");
    e1.put("userId", "u-1");
    e1.put("occurredAt", "2024-05-01T10:00:00.123456Z");
    e1.put("properties", Map.of("page", "/home"));
    e1.put("source", "producer-1");
    e1.put("producedAt", "2024-05-01T10:00:01.123456Z");
    e1.put("ingestedAt", "2024-05-01T10:00:02.123456Z");
    e1.put("kafkaPartition", 0);
    e1.put("kafkaOffset", 1);
    e1.put("extra", Map.of(Lake.EVOLVED, "pro"));
    assertThat(page.getMap("events[4]")).isEqualTo(e1);
    assertThat(page.getInt("count")).isEqualTo(5);
    assertThat(page.getBoolean("truncated")).isFalse();
    assertThat(page.getString("queryId")).isNotBlank();
  }

  /**
   * The whole event: {@code properties} as the object that went in (empty and absent ones too) and
   * the evolved column as a JSON value, null where an event had no such field; the same values
   * {@code GET /query} reads.
   */
  @Test
  void propertiesAndEvolvedColumnsAsTheTableHasThem() {
    JsonPath page = get("/events");

    assertThat(page.getList("events.properties"))
        .containsExactly(null, Map.of("amount", "9.99"), null, Map.of(), Map.of("page", "/home"));
    assertThat(page.getList("events.extra." + Lake.EVOLVED))
        .containsExactly(null, "free", null, null, "pro");
    JsonPath viaQuery =
        given()
            .queryParam(
                "sql",
                "SELECT properties['amount'], "
                    + Lake.EVOLVED
                    + " FROM events WHERE event_id = 'e-4'")
            .get("/query")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(viaQuery.getList("rows[0]")).containsExactly("9.99", "free");
  }

  @Test
  void filtersByTypeUserAndTime() {
    assertThat(get("/events", "type", "click").getList("events.eventId"))
        .containsExactly("e-5", "e-3", "e-1");
    assertThat(get("/events", "type", "click", "userId", "u-1").getList("events.eventId"))
        .containsExactly("e-3", "e-1");
    assertThat(
            get("/events", "from", "2024-05-01T10:00:30Z", "to", "2024-05-01T11:00:00Z")
                .getList("events.eventId"))
        .containsExactly("e-3", "e-2");
    assertThat(get("/events", "from", "2024-05-01T12:00:00+01:00").getList("events.eventId"))
        .containsExactly("e-5", "e-4");
  }

  @Test
  void limitSetsTruncated() {
    JsonPath page = get("/events", "limit", 2);

    assertThat(page.getList("events.eventId")).containsExactly("e-5", "e-4");
    assertThat(page.getBoolean("truncated")).isTrue();
    assertThat(get("/events", "limit", 5).getBoolean("truncated")).isFalse();
  }

  @Test
  void timeTravelBySnapshotAndInstant() {
    long firstInsert = lake.snapshots.get(lake.snapshots.size() - 2);
    assertThat(get("/events", "snapshot", firstInsert).getList("events.eventId"))
        .containsExactly("e-3", "e-2", "e-1");
    assertThat(get("/events", "asOf", java.time.Instant.now().toString()).getInt("count"))
        .isEqualTo(Lake.ALL_ROWS);
    // Before the table existed there is nothing to read.
    given()
        .queryParam("asOf", "2000-01-01T00:00:00Z")
        .get("/events")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_query"));
  }

  @Test
  void injectionAttemptsAreValues() {
    for (String attempt :
        List.of(
            "click' OR '1'='1",
            "click'; DROP TABLE events; --",
            "x' UNION SELECT event_id FROM events --",
            "\" OR \"\"=\"",
            "click\\'",
            "%",
            "click/*")) {
      given()
          .queryParam("type", attempt)
          .get("/events")
          .then()
          .statusCode(200)
          .body("count", equalTo(0));
      given()
          .queryParam("userId", attempt)
          .get("/events")
          .then()
          .statusCode(200)
          .body("count", equalTo(0));
    }
    // A stored value that looks like SQL is found exactly, as a value.
    assertThat(get("/events", "userId", Lake.TRICKY_USER).getList("events.eventId"))
        .containsExactly("e-5");
    given()
        .queryParam("from", "2024-05-01T00:00:00Z' OR 1=1 --")
        .get("/events")
        .then()
        .statusCode(400)
        .body("detail", containsString("from must be an ISO-8601 instant"));
    assertThat(get("/events").getInt("count")).isEqualTo(Lake.ALL_ROWS);
  }

  @Test
  void statsCountPerTypePerBucket() {
    JsonPath minutes = get("/events/stats", "bucket", "minute");
    assertThat(minutes.getList("buckets", Map.class))
        .containsExactly(
            Map.of(
                "start",
                "2024-05-01T10:00:00Z",
                "counts",
                Map.of("click", 1, "view", 1),
                "total",
                2),
            Map.of("start", "2024-05-01T10:05:00Z", "counts", Map.of("click", 1), "total", 1),
            Map.of("start", "2024-05-01T11:00:00Z", "counts", Map.of("purchase", 1), "total", 1),
            Map.of("start", "2024-05-01T11:30:00Z", "counts", Map.of("click", 1), "total", 1));

    JsonPath hours =
        get(
            "/events/stats",
            "bucket",
            "hour",
            "from",
            "2024-05-01T10:00:00Z",
            "to",
            "2024-05-01T12:00:00Z");
    assertThat(hours.getList("buckets", Map.class))
        .containsExactly(
            Map.of(
                "start",
                "2024-05-01T10:00:00Z",
                "counts",
                Map.of("click", 2, "view", 1),
                "total",
                3),
            Map.of(
                "start",
                "2024-05-01T11:00:00Z",
                "counts",
                Map.of("click", 1, "purchase", 1),
                "total",
                2));
    assertThat(hours.getString("bucket")).isEqualTo("hour");

    given()
        .queryParam("bucket", "day")
        .get("/events/stats")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_request"));
  }

  @Test
  void snapshotsOfTheTable() {
    JsonPath answer = get("/tables/events/snapshots");

    assertThat(answer.getList("snapshots.snapshotId", Long.class))
        .containsExactlyElementsOf(lake.snapshots);
    List<Map<String, Object>> snapshots = answer.getList("snapshots");
    Map<String, Object> first = snapshots.get(snapshots.size() - 2);
    Map<String, Object> second = snapshots.get(snapshots.size() - 1);
    assertThat(first.get("operation")).isEqualTo("append");
    assertThat(first.get("addedRecords")).isEqualTo(Lake.FIRST_COMMIT_ROWS);
    assertThat(((Number) first.get("addedDataFiles")).intValue()).isPositive();
    assertThat(second.get("addedRecords")).isEqualTo(Lake.ALL_ROWS - Lake.FIRST_COMMIT_ROWS);
    assertThat(((Number) second.get("parentId")).longValue())
        .isEqualTo(((Number) first.get("snapshotId")).longValue());
    assertThat((String) second.get("committedAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }
}
