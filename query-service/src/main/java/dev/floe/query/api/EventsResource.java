package dev.floe.query.api;

import dev.floe.contract.EventContract;
import dev.floe.query.config.QuerySettings;
import dev.floe.query.trino.QueryFailure;
import dev.floe.query.trino.TrinoGateway;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Typed questions about the events table. Every value from the request is bound as a parameter of a
 * prepared statement; only the configured (validated) table name is part of the SQL text.
 */
@Path("/")
@Tag(name = "events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

  /**
   * One event, whole: the contract's columns, {@code properties} as a JSON object (the table's
   * {@code map(varchar, varchar)}), and in {@code extra} every column schema evolution added to the
   * table (the job's extra fields), by column name, as JSON values of their column type.
   */
  public record Event(
      String eventId,
      String type,
      String userId,
      String occurredAt,
      Map<String, Object> properties,
      String source,
      String producedAt,
      String ingestedAt,
      Integer kafkaPartition,
      Long kafkaOffset,
      Map<String, Object> extra) {}

  public record EventsPage(
      List<Event> events, int count, boolean truncated, String queryId, long elapsedMs) {}

  /** Events of one bucket: the count per type and the total. */
  public record Bucket(String start, Map<String, Long> counts, long total) {}

  public record Stats(
      String bucket,
      String from,
      String to,
      List<Bucket> buckets,
      boolean truncated,
      String queryId,
      long elapsedMs) {}

  public record SnapshotInfo(
      long snapshotId,
      Long parentId,
      String committedAt,
      String operation,
      Long addedRecords,
      Long addedDataFiles) {}

  public record Snapshots(List<SnapshotInfo> snapshots, String queryId, long elapsedMs) {}

  private final TrinoGateway trino;
  private final QuerySettings config;
  private final TableHealth health;

  public EventsResource(TrinoGateway trino, QuerySettings config, TableHealth health) {
    this.trino = trino;
    this.config = config;
    this.health = health;
  }

  @GET
  @Path("events")
  @Operation(summary = "Events, newest first, filtered by type, user and time")
  public EventsPage events(
      @QueryParam("type") @Size(max = 200) String type,
      @QueryParam("userId") @Size(max = 200) String userId,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") @Min(1) Integer limit,
      @QueryParam("asOf") String asOf,
      @QueryParam("snapshot") Long snapshot) {
    Optional<TimeTravel> travel = TimeTravel.of(asOf, snapshot);
    List<Object> parameters = new ArrayList<>();
    StringBuilder sql =
        // every column, read by name: columns added by schema evolution come along as they appear
        new StringBuilder("SELECT * FROM ").append(table());
    // Trino 476 takes no parameters in FOR ... AS OF ("Incorrect number of parameters"): the point
    // is inlined, from the parsed Instant or long, never from the caller's text.
    travel.ifPresent(t -> sql.append(t.literalClause()));
    sql.append(" WHERE true");
    if (type != null) {
      sql.append(" AND type = ?");
      parameters.add(type);
    }
    if (userId != null) {
      sql.append(" AND user_id = ?");
      parameters.add(userId);
    }
    timeRange(sql, parameters, from, to);
    int rowLimit = QueryResource.rowLimit(limit, config);
    // One row more than the limit tells whether the answer is truncated.
    sql.append(" ORDER BY occurred_at DESC, event_id DESC LIMIT ?");
    parameters.add((long) rowLimit + 1);
    TrinoGateway.Result result = trino.run(sql.toString(), parameters, rowLimit);
    List<Event> events = new ArrayList<>(result.rows().size());
    for (List<Object> row : result.rows()) {
      events.add(event(result.columns(), row));
    }
    return new EventsPage(
        events, events.size(), result.truncated(), result.queryId(), result.elapsedMs());
  }

  @GET
  @Path("events/stats")
  @Operation(summary = "Number of events per type per minute or hour")
  public Stats stats(
      @QueryParam("bucket") String bucket,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    if (!"minute".equals(bucket) && !"hour".equals(bucket)) {
      throw QueryFailure.badRequest("bucket must be minute or hour, got: " + bucket);
    }
    List<Object> parameters = new ArrayList<>();
    parameters.add(bucket);
    StringBuilder sql =
        new StringBuilder(
                "SELECT date_trunc(?, occurred_at) AS bucket_start, type, count(*) AS events FROM ")
            .append(table())
            .append(" WHERE true");
    timeRange(sql, parameters, from, to);
    sql.append(" GROUP BY 1, 2 ORDER BY 1, 2");
    TrinoGateway.Result result = trino.run(sql.toString(), parameters, config.maxRowLimit());
    Map<String, Map<String, Long>> byBucket = new LinkedHashMap<>();
    for (List<Object> row : result.rows()) {
      String type = row.get(1) == null ? "" : (String) row.get(1);
      byBucket
          .computeIfAbsent((String) row.get(0), k -> new LinkedHashMap<>())
          .put(type, ((Number) row.get(2)).longValue());
    }
    List<Bucket> buckets = new ArrayList<>(byBucket.size());
    byBucket.forEach(
        (start, counts) ->
            buckets.add(
                new Bucket(
                    start, counts, counts.values().stream().mapToLong(Long::longValue).sum())));
    return new Stats(
        bucket, from, to, buckets, result.truncated(), result.queryId(), result.elapsedMs());
  }

  @GET
  @Path("tables/events")
  @Operation(
      summary =
          "Health of the events table: rows, data files, average file size, snapshots,"
              + " partitions, last commit and last maintenance")
  public TableHealth.Health tableHealth() {
    return health.read();
  }

  @GET
  @Path("tables/events/snapshots")
  @Operation(summary = "The Iceberg snapshots of the events table, oldest first")
  public Snapshots snapshots() {
    int dot = config.eventsTable().lastIndexOf('.');
    String snapshotsTable =
        config.eventsTable().substring(0, dot)
            + ".\""
            + config.eventsTable().substring(dot + 1)
            + "$snapshots\"";
    TrinoGateway.Result result =
        trino.run(
            "SELECT snapshot_id, parent_id, committed_at, operation,"
                + " element_at(summary, 'added-records'), element_at(summary, 'added-data-files')"
                + " FROM "
                + snapshotsTable
                + " ORDER BY committed_at, snapshot_id",
            List.of(),
            config.maxRowLimit());
    List<SnapshotInfo> snapshots = new ArrayList<>();
    for (List<Object> row : result.rows()) {
      snapshots.add(
          new SnapshotInfo(
              ((Number) row.get(0)).longValue(),
              row.get(1) == null ? null : ((Number) row.get(1)).longValue(),
              (String) row.get(2),
              (String) row.get(3),
              number(row.get(4)),
              number(row.get(5))));
    }
    return new Snapshots(snapshots, result.queryId(), result.elapsedMs());
  }

  private String table() {
    return config.eventsTable();
  }

  /**
   * One row of {@code SELECT *} as an event; columns outside the contract go into {@code extra}.
   */
  static Event event(List<TrinoGateway.Column> columns, List<Object> row) {
    Map<String, Object> byName = new LinkedHashMap<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i).name();
      (EventContract.RESERVED_COLUMNS.contains(name) ? byName : extra).put(name, row.get(i));
    }
    return new Event(
        (String) byName.get("event_id"),
        (String) byName.get("type"),
        (String) byName.get("user_id"),
        (String) byName.get("occurred_at"),
        properties(byName.get("properties")),
        (String) byName.get("source"),
        (String) byName.get("produced_at"),
        (String) byName.get("ingested_at"),
        byName.get("kafka_partition") == null
            ? null
            : ((Number) byName.get("kafka_partition")).intValue(),
        byName.get("kafka_offset") == null
            ? null
            : ((Number) byName.get("kafka_offset")).longValue(),
        extra);
  }

  /** The properties map (JsonValues reads a Trino map as a map); absent: null. */
  private static Map<String, Object> properties(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    throw new IllegalStateException(
        "the events table's properties column is not a map but " + value.getClass().getName());
  }

  private static void timeRange(
      StringBuilder sql, List<Object> parameters, String from, String to) {
    Instant start = from == null ? null : TimeTravel.instant("from", from);
    Instant end = to == null ? null : TimeTravel.instant("to", to);
    if (start != null && end != null && !start.isBefore(end)) {
      throw QueryFailure.badRequest("from must be before to");
    }
    if (start != null) {
      sql.append(" AND occurred_at >= from_iso8601_timestamp(?)");
      parameters.add(start.toString());
    }
    if (end != null) {
      sql.append(" AND occurred_at < from_iso8601_timestamp(?)");
      parameters.add(end.toString());
    }
  }

  private static Long number(Object text) {
    return text == null ? null : Long.valueOf(text.toString());
  }
}
