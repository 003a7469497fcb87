package dev.floe.console.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.LakeNames;
import dev.floe.view.TableFacts;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table's facts ({@link TableFacts}' SQL), through the query-service's read-only {@code /query}
 * (Trino's metadata tables as its read-only user). The figures come from the snapshots alone
 * ({@link TableFacts#snapshotSummary}), which Trino answers from the table's metadata file: the
 * newest snapshot's summary carries the row and data-file totals, and the replace snapshots are the
 * compactions. {@code GET /tables/events} reads {@code "events$files"}, every manifest, and would
 * cost Trino a second of CPU per sample on a busy table; the files per partition read the manifests
 * too, so they are read only when asked for.
 */
public final class TableSource {

  /** Partitions listed, those with the most data files first. */
  static final int PARTITIONS = 20;

  /** The table, in the query-service's catalog and schema. */
  static final String TABLE = LakeNames.TABLE;

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
   * @param partition the partition's values as JSON text, e.g. {@code {"occurred_at_day":...}}
   * @param dataFiles its data files
   * @param rows its rows
   */
  public record PartitionFiles(String partition, long dataFiles, long rows) {}

  /**
   * One read of the table's snapshots.
   *
   * @param snapshots snapshots kept
   * @param oldestAt commit time of the oldest kept snapshot (epoch ms), null without snapshots
   * @param newestAt commit time of the newest (epoch ms)
   * @param rows rows as of the newest snapshot
   * @param dataFiles data files as of the newest snapshot
   * @param compactionId the newest replace snapshot, null when none is kept
   * @param compactionAt its commit time (epoch ms)
   * @param compactionRemoved data files it replaced
   * @param compactionAdded data files it wrote
   */
  public record TableSample(
      long snapshots,
      Long oldestAt,
      Long newestAt,
      Long rows,
      Long dataFiles,
      String compactionId,
      Long compactionAt,
      Long compactionRemoved,
      Long compactionAdded) {}

  /**
   * Reads the snapshots.
   *
   * @return the sample
   * @throws IOException when the query-service (or Trino behind it) does not answer
   */
  public TableSample sample() throws IOException {
    JsonNode r = query(TableFacts.snapshotSummary(TABLE)).path(0);
    return new TableSample(
        r.path(0).asLong(),
        number(r.path(1)),
        number(r.path(2)),
        number(r.path(3)),
        number(r.path(4)),
        r.path(5).isNull() || r.path(5).isMissingNode() ? null : r.path(5).asText(),
        number(r.path(6)),
        number(r.path(7)),
        number(r.path(8)));
  }

  /**
   * Data files per partition, most first; empty when the table is not partitioned.
   *
   * @return the partitions
   * @throws IOException when the query-service does not answer
   */
  public List<PartitionFiles> partitions() throws IOException {
    Http.Answer a =
        http.get(
            base + "/query?sql=" + encode(TableFacts.filesPerPartition(TABLE, PARTITIONS)),
            token,
            "application/json");
    List<PartitionFiles> out = new ArrayList<>();
    if (a.status() == 400 && a.body().contains("partition")) {
      return out; // an unpartitioned table has no partition column
    }
    if (a.status() != 200) {
      throw new IOException("query-service answered " + a.status() + ": " + a.body());
    }
    for (JsonNode row : Http.JSON.readTree(a.body()).path("rows")) {
      out.add(new PartitionFiles(row.path(0).asText(), row.path(1).asLong(), row.path(2).asLong()));
    }
    return out;
  }

  private JsonNode query(String sql) throws IOException {
    return http.json(base + "/query?sql=" + encode(sql), token).path("rows");
  }

  private static String encode(String sql) {
    return URLEncoder.encode(sql, StandardCharsets.UTF_8);
  }

  private static Long number(JsonNode n) {
    if (n.isNumber()) {
      return n.asLong();
    }
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
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
