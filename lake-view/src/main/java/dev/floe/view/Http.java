package dev.floe.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs with a deadline, failing with a message a person can read on the page ("connection refused",
 * "no answer within 2 s", "answered 503: ...").
 */
public class Http {

  /** The JSON reader of every view. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;

  /**
   * A client whose every request has this deadline.
   *
   * @param timeout the deadline
   */
  public Http(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * A response as it came.
   *
   * @param status the status
   * @param contentType its content type, or application/octet-stream
   * @param body the body
   */
  public record Answer(int status, String contentType, String body) {}

  /**
   * A GET, whatever the status.
   *
   * @param url the URL
   * @param token a bearer token, when the source needs one
   * @param accept the Accept header
   * @return the answer
   * @throws IOException when the source does not answer, with a readable message
   */
  public Answer get(String url, Optional<String> token, String accept) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", accept).GET();
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(),
          r.headers().firstValue("Content-Type").orElse("application/octet-stream"),
          r.body());
    } catch (HttpTimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + " ms from " + url, e);
    } catch (ConnectException e) {
      throw new IOException("connection refused by " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw new IOException(e.getClass().getSimpleName() + " from " + url + ": " + e.getMessage());
    }
  }

  /**
   * A GET that must answer 200.
   *
   * @param url the URL
   * @param token a bearer token, when the source needs one
   * @return the body
   * @throws IOException otherwise
   */
  public String text(String url, Optional<String> token) throws IOException {
    Answer a = get(url, token, "*/*");
    if (a.status() != 200) {
      String body = a.body().length() > 300 ? a.body().substring(0, 300) + "..." : a.body();
      throw new IOException(url + " answered " + a.status() + ": " + body);
    }
    return a.body();
  }

  /**
   * A GET of JSON that must answer 200.
   *
   * @param url the URL
   * @param token a bearer token, when the source needs one
   * @return the parsed body
   * @throws IOException otherwise
   */
  public JsonNode json(String url, Optional<String> token) throws IOException {
    return JSON.readTree(text(url, token));
  }
}
