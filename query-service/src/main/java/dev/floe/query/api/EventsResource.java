package dev.floe.query.api;

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

  /** One event; {@code properties} is left out on purpose (its shape is the job's business). */
  public record Event(
      String eventId,
      String type,
      String userId,
      String occurredAt,
      String source,
      String producedAt,
      String ingestedAt,
      Integer kafkaPartition,
      Long kafkaOffset) {}

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

  private static final String EVENT_COLUMNS =
      "event_id, type, user_id, occurred_at, source, produced_at, ingested_at, kafka_partition,"
          + " kafka_offset";

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
        new StringBuilder("SELECT ").append(EVENT_COLUMNS).append(" FROM ").append(table());
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
      events.add(
          new Event(
              (String) row.get(0),
              (String) row.get(1),
              (String) row.get(2),
              (String) row.get(3),
              (String) row.get(4),
              (String) row.get(5),
              (String) row.get(6),
              row.get(7) == null ? null : ((Number) row.get(7)).intValue(),
              row.get(8) == null ? null : ((Number) row.get(8)).longValue()));
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
