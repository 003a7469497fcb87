package dev.floe.console.api;

import dev.floe.console.sample.Overview;
import dev.floe.console.sample.Sampler;
import dev.floe.console.source.Http;
import dev.floe.console.source.KafkaSource;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's JSON API: what the page shows, for scripts as well. Read-only: every endpoint is a
 * GET, and the SQL goes through the query-service's read-only {@code /query}.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
public class ConsoleResource {

  private final Sampler sampler;

  ConsoleResource(Sampler sampler) {
    this.sampler = sampler;
  }

  @GET
  @Path("/overview")
  @Operation(
      summary = "The lake now and over the last minutes",
      description =
          "Sources up/down, time series of ingest per replica, job throughput, consumer lag per"
              + " partition, freshness p50/p99 (the job's own metric), checkpoints; the job's state,"
              + " the table (counts, files per partition, maintenance timeline) and dead letters."
              + " Sampled server-side; asking starts sampling when it was paused. since=<epoch ms>"
              + " returns only the points after that time (what a polling page lacks).")
  public Overview overview(
      @QueryParam("points") @DefaultValue("300") @Min(1) @Max(100_000) int points,
      @QueryParam("since") @DefaultValue("0") @Min(0) long since) {
    return sampler.overview(points, since);
  }

  @GET
  @Path("/dead-letters")
  @Operation(summary = "Dead letters: count per reason and the newest ones with their payload")
  public KafkaSource.DeadLetters deadLetters() {
    return sampler
        .deadLetters()
        .orElseGet(() -> new KafkaSource.DeadLetters(0, Map.of(), java.util.List.of()));
  }

  @GET
  @Path("/query")
  @Produces({MediaType.APPLICATION_JSON, "text/csv"})
  @Operation(
      summary = "SQL through the query-service's read-only GET /query",
      description =
          "The query-service's answer is passed through as it comes (status, content type, body),"
              + " errors included. format=csv asks for CSV (a download). asOf/snapshot: time travel.")
  public Response query(
      @QueryParam("sql") @NotBlank String sql,
      @QueryParam("limit") @Min(1) Integer limit,
      @QueryParam("asOf") String asOf,
      @QueryParam("snapshot") @Pattern(regexp = "[0-9]{1,20}") String snapshot,
      @QueryParam("format") @DefaultValue("json") @Pattern(regexp = "json|csv") String format) {
    Map<String, String> params = new TreeMap<>();
    params.put("sql", sql);
    if (limit != null) {
      params.put("limit", limit.toString());
    }
    if (asOf != null && !asOf.isBlank()) {
      params.put("asOf", asOf);
    }
    if (snapshot != null && !snapshot.isBlank()) {
      params.put("snapshot", snapshot);
    }
    boolean csv = format.equals("csv");
    Response r = pass("/query?" + encode(params), csv ? "text/csv" : MediaType.APPLICATION_JSON);
    if (csv && r.getStatus() == 200) {
      return Response.fromResponse(r)
          .header("Content-Disposition", "attachment; filename=\"floe-query.csv\"")
          .build();
    }
    return r;
  }

  @GET
  @Path("/snapshots")
  @Operation(
      summary = "The table's snapshots, for time travel",
      description = "The query-service's GET /tables/events/snapshots, passed through.")
  public Response snapshots() {
    return pass("/tables/events/snapshots", MediaType.APPLICATION_JSON);
  }

  private Response pass(String pathAndQuery, String accept) {
    sampler.touch();
    try {
      Http.Answer a = sampler.table().pass(pathAndQuery, accept);
      return Response.status(a.status()).type(a.contentType()).entity(a.body()).build();
    } catch (IOException e) {
      return ErrorMappers.json(503, "query_service_unavailable", e.getMessage());
    }
  }

  private static String encode(Map<String, String> params) {
    StringBuilder s = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (s.length() > 0) {
            s.append('&');
          }
          s.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return s.toString();
  }
}
