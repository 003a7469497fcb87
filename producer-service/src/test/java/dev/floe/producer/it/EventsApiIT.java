package dev.floe.producer.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /events against a real broker: what lands on the topic, and what is refused. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class EventsApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TopicReader topic;

  @BeforeEach
  void openTopic() {
    var config = ConfigProvider.getConfig();
    topic =
        new TopicReader(
            config.getValue("kafka.bootstrap.servers", String.class),
            config.getValue("floe.producer.topic", String.class));
    topic.readToEnd(Duration.ofSeconds(20));
  }

  @AfterEach
  void closeTopic() {
    topic.close();
  }

  @Test
  void singleEventLandsWithEveryFieldKeyAndHeaders() throws Exception {
    String id = UUID.randomUUID().toString();
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"eventId":"%s","type":"page_view","userId":"user-7",
             "occurredAt":"2026-03-01T10:15:30+01:00",
             "properties":{"page":"/cart","duration_ms":1234,"logged_in":true,"score":1.5}}
            """
                .formatted(id.toUpperCase()))
        .post("/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1))
        .body("eventIds", equalTo(List.of(id)));

    List<ConsumerRecord<String, String>> records = readNew(1);
    ConsumerRecord<String, String> record = records.get(0);
    assertThat(record.key()).isEqualTo("user-7");
    JsonNode value = JSON.readTree(record.value());
    assertThat(fieldNames(value))
        .containsExactly(
            "eventId", "type", "userId", "occurredAt", "properties", "source", "producedAt");
    assertThat(value.get("eventId").asText()).isEqualTo(id);
    assertThat(value.get("type").asText()).isEqualTo("page_view");
    assertThat(value.get("userId").asText()).isEqualTo("user-7");
    assertThat(value.get("occurredAt").asText()).isEqualTo("2026-03-01T09:15:30Z");
    assertThat(value.get("properties").get("page").asText()).isEqualTo("/cart");
    assertThat(value.get("properties").get("duration_ms").asInt()).isEqualTo(1234);
    assertThat(value.get("properties").get("logged_in").asBoolean()).isTrue();
    assertThat(value.get("properties").get("score").asDouble()).isEqualTo(1.5);
    assertThat(value.get("source").asText()).isNotBlank();
    assertThat(Instant.parse(value.get("producedAt").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(headers(record))
        .containsEntry("event-id", id)
        .containsEntry("event-type", "page_view")
        .containsEntry("source", value.get("source").asText())
        .containsEntry("content-type", "application/json");
  }

  @Test
  void batchLandsExactlyWithGeneratedIdsAndEventIdKeys() throws Exception {
    String given1 = UUID.randomUUID().toString();
    Response response =
        given()
            .contentType(ContentType.JSON)
            .body(
                """
                [{"eventId":"%s","type":"purchase","userId":"user-1",
                  "occurredAt":"2026-03-01T10:00:00Z","properties":{"amount":19.99}},
                 {"type":"page_view","occurredAt":"2026-03-01T10:00:01Z"},
                 {"type":"login","userId":"user-2","occurredAt":"2026-03-01T10:00:02.123Z"}]
                """
                    .formatted(given1))
            .post("/events");
    response.then().statusCode(202).body("accepted", equalTo(3)).body("eventIds", hasSize(3));
    List<String> ids = response.jsonPath().getList("eventIds");
    assertThat(ids.get(0)).isEqualTo(given1);
    assertThat(ids.get(1)).matches("[0-9a-f-]{36}").isNotEqualTo(given1);

    List<ConsumerRecord<String, String>> records = readNew(3);
    Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      byId.put(JSON.readTree(r.value()).get("eventId").asText(), r);
    }
    assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(byId.get(ids.get(0)).key()).isEqualTo("user-1");
    assertThat(byId.get(ids.get(1)).key()).isEqualTo(ids.get(1)); // no user: keyed by event id
    JsonNode anonymous = JSON.readTree(byId.get(ids.get(1)).value());
    assertThat(anonymous.get("userId").isNull()).isTrue();
    assertThat(anonymous.get("properties").isEmpty()).isTrue();
    assertThat(JSON.readTree(byId.get(ids.get(2)).value()).get("occurredAt").asText())
        .isEqualTo("2026-03-01T10:00:02.123Z");
    assertThat(headers(byId.get(ids.get(2)))).containsEntry("event-type", "login");
  }

  @Test
  void extraFieldsNullPropertiesAndDottedTypesPassThroughAsTheJobExpectsThem() throws Exception {
    // the job's contract: a new top-level field becomes a column, a null property is kept
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"type":"checkout.step-2","occurredAt":"2026-03-01T10:00:00Z","campaign":"spring",
             "cartValue":19.5,"firstVisit":true,"utm":{"source":"mail"},"note":null,
             "properties":{"coupon":null,"page":"/cart"},"source":"client","producedAt":"x"}
            """)
        .post("/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1));

    JsonNode value = JSON.readTree(readNew(1).get(0).value());
    assertThat(value.get("type").asText()).isEqualTo("checkout.step-2");
    assertThat(value.get("campaign").asText()).isEqualTo("spring");
    assertThat(value.get("cartValue").asDouble()).isEqualTo(19.5);
    assertThat(value.get("firstVisit").asBoolean()).isTrue();
    assertThat(value.get("utm").get("source").asText()).isEqualTo("mail");
    assertThat(value.get("note").isNull()).isTrue();
    assertThat(value.get("properties").get("coupon").isNull()).isTrue();
    // set by the replica, whatever the client sent
    assertThat(value.get("source").asText()).isNotEqualTo("client");
    assertThat(Instant.parse(value.get("producedAt").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
  }

  static Stream<Arguments> badBodies() {
    String ok = "\"type\":\"page_view\",\"occurredAt\":\"2026-03-01T10:00:00Z\"";
    return Stream.of(
        Arguments.of("malformed JSON", "{\"type\": \"page_view\",", 400, "malformed_json", null),
        Arguments.of("empty body", "", 400, "malformed_json", null),
        Arguments.of("scalar body", "42", 400, "validation_failed", "body"),
        Arguments.of(
            "type as number",
            "{\"type\":42,\"occurredAt\":\"2026-03-01T10:00:00Z\"}",
            400,
            "validation_failed",
            "type"),
        Arguments.of(
            "properties as array",
            "{" + ok + ",\"properties\":[1,2]}",
            400,
            "validation_failed",
            "properties"),
        Arguments.of(
            "missing type",
            "{\"occurredAt\":\"2026-03-01T10:00:00Z\"}",
            400,
            "validation_failed",
            "type"),
        Arguments.of(
            "upper-case type",
            "{\"type\":\"PageView\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}",
            400,
            "validation_failed",
            "type"),
        Arguments.of(
            "missing occurredAt",
            "{\"type\":\"page_view\"}",
            400,
            "validation_failed",
            "occurredAt"),
        Arguments.of(
            "occurredAt not ISO",
            "{\"type\":\"page_view\",\"occurredAt\":\"yesterday\"}",
            400,
            "validation_failed",
            "occurredAt"),
        Arguments.of(
            "occurredAt without offset",
            "{\"type\":\"page_view\",\"occurredAt\":\"2026-03-01T10:00:00\"}",
            400,
            "validation_failed",
            "occurredAt"),
        Arguments.of(
            "eventId not a UUID",
            "{" + ok + ",\"eventId\":\"abc\"}",
            400,
            "validation_failed",
            "eventId"),
        Arguments.of(
            "empty userId", "{" + ok + ",\"userId\":\"\"}", 400, "validation_failed", "userId"),
        Arguments.of(
            "nested property",
            "{" + ok + ",\"properties\":{\"a\":{\"b\":1}}}",
            400,
            "validation_failed",
            "properties.a"),
        Arguments.of(
            "property value too long",
            "{" + ok + ",\"properties\":{\"a\":\"" + "x".repeat(1025) + "\"}}",
            400,
            "validation_failed",
            "properties.a"),
        Arguments.of(
            "extra field naming a contract column",
            "{" + ok + ",\"user_id\":\"red\"}",
            400,
            "validation_failed",
            "user_id"),
        Arguments.of(
            "extra field value too long",
            "{" + ok + ",\"campaign\":\"" + "x".repeat(1025) + "\"}",
            400,
            "validation_failed",
            "campaign"),
        Arguments.of(
            "too many extra fields",
            "{" + ok + manyExtraFields(21) + "}",
            400,
            "validation_failed",
            "body"),
        Arguments.of(
            "type with a space",
            "{\"type\":\"page view\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}",
            400,
            "validation_failed",
            "type"),
        Arguments.of(
            "duplicate field", "{" + ok + ",\"type\":\"login\"}", 400, "malformed_json", null),
        Arguments.of("empty batch", "[]", 400, "validation_failed", null),
        Arguments.of(
            "one bad event in a batch",
            "[{" + ok + "},{\"type\":\"Bad Type\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}]",
            400,
            "validation_failed",
            "events[1].type"),
        Arguments.of(
            "batch element not an object",
            "[{" + ok + "}, 7]",
            400,
            "validation_failed",
            "events[1]"),
        Arguments.of(
            "too many properties",
            "{" + ok + ",\"properties\":" + manyProperties(51) + "}",
            400,
            "validation_failed",
            "properties"),
        Arguments.of("batch over the maximum", batch(1001), 413, "batch_too_large", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void badInputIsRefusedWithOneErrorShapeAndNothingIsWritten(
      String name, String body, int status, String error, String field) {
    var response =
        given()
            .contentType(ContentType.JSON)
            .body(body.getBytes(StandardCharsets.UTF_8))
            .post("/events")
            .then()
            .statusCode(status)
            .contentType(ContentType.JSON)
            .body("error", equalTo(error))
            .body("detail", org.hamcrest.Matchers.notNullValue())
            .body("violations", org.hamcrest.Matchers.notNullValue());
    if (field != null) {
      response.body("violations.field", hasItem(field));
    }
    assertNothingWritten();
  }

  @Test
  void batchReportsEveryViolationWithItsPath() {
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            [{"type":"ok_type","occurredAt":"2026-03-01T10:00:00Z"},
             {"type":"x y","occurredAt":"nope"},
             {"occurredAt":"2026-03-01T10:00:00Z","eventId":"1"}]
            """)
        .post("/events")
        .then()
        .statusCode(400)
        .body("error", equalTo("validation_failed"))
        .body(
            "violations.field",
            equalTo(
                List.of(
                    "events[1].occurredAt",
                    "events[1].type",
                    "events[2].eventId",
                    "events[2].type")));
    assertNothingWritten();
  }

  @Test
  void bodyOverTheSizeLimitIs413() throws Exception {
    // a raw client: the server answers as soon as it sees the declared length and closes, which
    // an HTTP client still busy uploading 5 MB reports as a broken pipe instead of the answer
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                  + "Content-Type: application/json\r\n"
                  + "Content-Length: "
                  + (5 * 1024 * 1024)
                  + "\r\n\r\n[")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // the server answers at once but keeps the half-sent request's socket open: read by length
      java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 413");
      java.util.regex.Matcher length =
          java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      assertThat(length.find()).isTrue();
      byte[] body = new byte[Integer.parseInt(length.group(1))];
      in.readFully(body);
      JsonNode error = JSON.readTree(body);
      assertThat(error.get("error").asText()).isEqualTo("payload_too_large");
      assertThat(error.get("violations").isArray()).isTrue();
    }
    assertNothingWritten();
  }

  @Test
  void wrongContentTypeIs415() {
    given()
        .contentType(ContentType.TEXT)
        .body("{\"type\":\"page_view\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}")
        .post("/events")
        .then()
        .statusCode(415)
        .contentType(ContentType.JSON)
        .body("error", equalTo("unsupported_media_type"))
        .body("violations", empty());
    assertNothingWritten();
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405WithTheSameShape() {
    given()
        .get("/no-such-thing")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error", equalTo("not_found"))
        .body("violations", empty());
    given()
        .get("/events")
        .then()
        .statusCode(405)
        .contentType(ContentType.JSON)
        .body("error", equalTo("method_not_allowed"))
        .body("violations", empty());
    given()
        .delete("/generator")
        .then()
        .statusCode(405)
        .body("error", equalTo("method_not_allowed"));
  }

  @Test
  void readinessMetricsAndOpenApiAreServed() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"page_view\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}")
        .post("/events")
        .then()
        .statusCode(202);
    given().contentType(ContentType.JSON).body("{}").post("/events").then().statusCode(400);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("floe_producer_events_accepted_total")
        .contains("floe_producer_events_rejected_total{reason=\"validation_failed\"")
        .contains("floe_producer_events_failed_total")
        .contains("floe_producer_kafka_send_latency_seconds_count")
        .contains("floe_producer_generator_events_total");
    given().get("/q/openapi").then().statusCode(200).body(containsString("/events"));
    given().get("/q/swagger-ui/").then().statusCode(200);
    readNew(1);
  }

  /** Sends a marker event and checks that it is the only new record: nothing else was written. */
  private void assertNothingWritten() {
    String marker = UUID.randomUUID().toString();
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"eventId\":\"%s\",\"type\":\"marker\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}"
                .formatted(marker))
        .post("/events")
        .then()
        .statusCode(202);
    List<ConsumerRecord<String, String>> fresh = readNew(1);
    assertThat(fresh.get(0).value()).contains(marker);
  }

  private int seen;

  /** Reads until exactly {@code n} new records arrived (and fails on more than that). */
  private List<ConsumerRecord<String, String>> readNew(int n) {
    if (seen == 0) {
      seen = topic.records().size();
    }
    int from = seen;
    topic.readUntil(r -> r.size() >= from + n, Duration.ofSeconds(20));
    // anything beyond n now would be a stray record; read to the end to catch it
    List<ConsumerRecord<String, String>> all = topic.readToEnd(Duration.ofSeconds(20));
    assertThat(all).hasSize(from + n);
    seen = all.size();
    return new ArrayList<>(all.subList(from, from + n));
  }

  private static Map<String, String> headers(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String manyExtraFields(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(",\"extra").append(i).append("\":").append(i);
    }
    return out.toString();
  }

  private static String manyProperties(int n) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    return sb.append('}').toString();
  }

  private static String batch(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"type\":\"page_view\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}");
    }
    return sb.append(']').toString();
  }
}
