package dev.floe.console.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table's metadata, through the query-service (which reads Trino's metadata tables as its
 * read-only user): {@code GET /tables/events} for counts, snapshots and maintenance, and one {@code
 * /query} of {@code "events$partitions"} for the data files per partition.
 */
public final class TableSource {

  /** Partitions listed, those with the most data files first. */
  static final int PARTITIONS = 20;

  private final Http http;
  private final String base;
  private final Optional<String> token;

  /**
   * A source on a query-service.
   *
   * @param http the client
   * @param base e.g. http://127.0.0.1:8081
   * @param token its bearer token, if it needs one
   */
  public TableSource(Http http, String base, Optional<String> token) {
    this.http = http;
    this.base = base;
    this.token = token;
  }

  /**
   * Data files of one partition.
   *
   * @param partition the partition's values as text, e.g. {@code {occurred_at_day=2026-01-02}}
   * @param dataFiles its data files
   * @param rows its rows
   */
  public record PartitionFiles(String partition, long dataFiles, long rows) {}

  /**
   * One read of the table.
   *
   * @param health what GET /tables/events answered
   * @param partitions data files per partition (most first), empty when unpartitioned
   */
  public record TableSample(JsonNode health, List<PartitionFiles> partitions) {}

  /**
   * Reads the table.
   *
   * @return the sample
   * @throws IOException when the query-service (or Trino behind it) does not answer
   */
  public TableSample sample() throws IOException {
    JsonNode health = http.json(base + "/tables/events", token);
    List<PartitionFiles> partitions = new ArrayList<>();
    boolean partitioned = health.path("partitions").path("fields").size() > 0;
    if (partitioned) {
      String sql =
          "SELECT json_format(CAST(\"partition\" AS json)), file_count, record_count"
              + " FROM \"events$partitions\" ORDER BY file_count DESC LIMIT "
              + PARTITIONS;
      JsonNode rows =
          http.json(base + "/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8), token)
              .path("rows");
      for (JsonNode r : rows) {
        partitions.add(
            new PartitionFiles(r.path(0).asText(), r.path(1).asLong(), r.path(2).asLong()));
      }
    }
    return new TableSample(health, partitions);
  }

  /**
   * Passes a request through to the query-service and returns its answer as it came (status,
   * content type, body).
   *
   * @param pathAndQuery e.g. {@code /query?sql=...}
   * @param accept the Accept header
   * @return the answer
   * @throws IOException when the query-service does not answer
   */
  public Http.Answer pass(String pathAndQuery, String accept) throws IOException {
    return http.get(base + pathAndQuery, token, accept);
  }
}
