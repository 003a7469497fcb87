package dev.floe.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The lake's HTTP reads of its own components (the Flink REST API, the services' health checks):
 * GET with a 2 s connect and a 3 s answer timeout, so that a component that hangs reads as down
 * instead of blocking a start-up check or {@code ./floe status}.
 */
public final class JsonHttp {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private JsonHttp() {}

  /**
   * GET a JSON document (the Flink REST API, say).
   *
   * @param url the address
   * @return the document
   * @throws IOException on a failure or an answer other than 200
   * @throws InterruptedException when interrupted
   */
  public static JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(get(url), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  /** The status code of a GET, the body discarded. */
  static int status(String url) throws IOException, InterruptedException {
    return HTTP.send(get(url), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
  }
}
