package dev.floe.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a user of the lake does over HTTP: POST /events to a producer, GET /query. */
public final class LakeClient {

  /** The JSON mapper of the tests. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final String queryUrl;

  /**
   * A client of one lake.
   *
   * @param queryUrl the query-service base URL
   */
  public LakeClient(String queryUrl) {
    this.queryUrl = queryUrl;
  }

  /** A response: status and body. */
  public record Answer(int status, String body) {
    /**
     * The body as JSON.
     *
     * @return the tree
     */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /**
   * An event as a client sends it.
   *
   * @param eventId the id
   * @param type the type
   * @param userId the user or null
   * @param occurredAt ISO instant
   * @param properties flat properties
   * @return the JSON object
   */
  public static ObjectNode event(
      String eventId, String type, String userId, String occurredAt, Map<String, ?> properties) {
    ObjectNode n = JSON.createObjectNode();
    n.put("eventId", eventId);
    n.put("type", type);
    if (userId != null) {
      n.put("userId", userId);
    }
    n.put("occurredAt", occurredAt);
    if (properties != null) {
      n.set("properties", JSON.valueToTree(properties));
    }
    return n;
  }

  /**
   * A JSON array of events.
   *
   * @param events the events
   * @return the array
   */
  public static ArrayNode batch(List<ObjectNode> events) {
    ArrayNode a = JSON.createArrayNode();
    events.forEach(a::add);
    return a;
  }

  /**
   * POST /events with a raw body.
   *
   * @param producerUrl the replica's base URL
   * @param body the body
   * @param timeout the request timeout
   * @return the answer
   * @throws IOException when the connection fails
   * @throws InterruptedException when interrupted
   */
  public Answer post(String producerUrl, String body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(producerUrl + "/events"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /**
   * POST /events, failing on an I/O error.
   *
   * @param producerUrl the replica's base URL
   * @param body the body
   * @return the answer
   */
  public Answer post(String producerUrl, Object body) {
    try {
      return post(
          producerUrl,
          body instanceof String s ? s : JSON.writeValueAsString(body),
          Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new AssertionError("POST to " + producerUrl + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * GET /query?sql=...&limit=...
   *
   * @param sql the statement
   * @param limit the row limit
   * @return the answer
   */
  public Answer query(String sql, int limit) {
    String url =
        queryUrl
            + "/query?limit="
            + limit
            + "&sql="
            + URLEncoder.encode(sql, StandardCharsets.UTF_8);
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The rows of a successful query, each as a list of strings (null stays null).
   *
   * @param sql the statement
   * @param limit the row limit
   * @return the rows
   * @throws AssertionError when the query does not answer 200
   */
  public List<List<String>> rows(String sql, int limit) {
    Answer a = query(sql, limit);
    if (a.status() != 200) {
      throw new AssertionError("GET /query answered " + a.status() + ": " + a.body());
    }
    List<List<String>> out = new ArrayList<>();
    for (JsonNode row : a.json().path("rows")) {
      List<String> values = new ArrayList<>();
      for (JsonNode v : row) {
        values.add(v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
      }
      out.add(values);
    }
    return out;
  }
}
