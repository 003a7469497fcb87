package dev.floe.query.api;

import dev.floe.query.config.QuerySettings;
import dev.floe.query.sql.StatementClassifier;
import dev.floe.query.sql.StatementClassifier.Verdict;
import dev.floe.query.sql.TimeTravelRewrite;
import dev.floe.query.trino.QueryFailure;
import dev.floe.query.trino.TrinoGateway;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /query}: one read-only SQL statement, bounded in rows and time. */
@Path("/query")
@Tag(name = "query")
@Produces({MediaType.APPLICATION_JSON, QueryResource.TEXT_CSV})
public class QueryResource {

  static final String TEXT_CSV = "text/csv";

  /** The JSON answer of {@code /query}. */
  public record QueryAnswer(
      List<TrinoGateway.Column> columns,
      List<List<Object>> rows,
      int rowCount,
      boolean truncated,
      String queryId,
      long elapsedMs) {}

  private final StatementClassifier classifier = new StatementClassifier();
  private final TrinoGateway trino;
  private final QuerySettings config;
  private final MeterRegistry metrics;

  public QueryResource(TrinoGateway trino, QuerySettings config, MeterRegistry metrics) {
    this.trino = trino;
    this.config = config;
    this.metrics = metrics;
  }

  @GET
  @Operation(summary = "Run one read-only statement given in the sql parameter")
  public Response get(
      @QueryParam("sql") @Parameter(description = "the statement") String sql,
      @QueryParam("limit") @Min(1) @Parameter(description = "row limit, capped by the maximum")
          Integer limit,
      @QueryParam("asOf") @Parameter(description = "read the events table as of this instant")
          String asOf,
      @QueryParam("snapshot") @Parameter(description = "read this snapshot of the events table")
          Long snapshot,
      @Context HttpHeaders headers) {
    return run(sql, limit, asOf, snapshot, headers);
  }

  @POST
  @Consumes(MediaType.TEXT_PLAIN)
  @Operation(summary = "Run one read-only statement given as the request body")
  public Response post(
      String sql,
      @QueryParam("limit") @Min(1) Integer limit,
      @QueryParam("asOf") String asOf,
      @QueryParam("snapshot") Long snapshot,
      @Context HttpHeaders headers) {
    return run(sql, limit, asOf, snapshot, headers);
  }

  private Response run(String sql, Integer limit, String asOf, Long snapshot, HttpHeaders headers) {
    Optional<TimeTravel> travel = TimeTravel.of(asOf, snapshot);
    Verdict verdict = classifier.classify(sql);
    if (!verdict.allowed()) {
      metrics
          .counter("floe.query.refused", "reason", verdict.syntaxError() ? "syntax" : "not_read")
          .increment();
      throw verdict.syntaxError()
          ? new QueryFailure(400, "invalid_query", verdict.reason())
          : new QueryFailure(403, "statement_refused", verdict.reason());
    }
    String statement = verdict.statement();
    if (travel.isPresent()) {
      try {
        statement =
            TimeTravelRewrite.rewrite(verdict, config.eventsTable(), travel.get().literalClause());
      } catch (TimeTravelRewrite.NotApplicable e) {
        throw QueryFailure.badRequest(e.getMessage());
      }
    }
    TrinoGateway.Result result = trino.run(statement, List.of(), rowLimit(limit, config));
    QueryAnswer answer =
        new QueryAnswer(
            result.columns(),
            result.rows(),
            result.rows().size(),
            result.truncated(),
            result.queryId(),
            result.elapsedMs());
    if (wantsCsv(headers)) {
      return Response.ok(Csv.write(answer.columns(), answer.rows()), TEXT_CSV + "; charset=UTF-8")
          .header("X-Floe-Query-Id", answer.queryId())
          .header("X-Floe-Row-Count", answer.rowCount())
          .header("X-Floe-Truncated", answer.truncated())
          .build();
    }
    return Response.ok(answer, MediaType.APPLICATION_JSON).build();
  }

  static int rowLimit(Integer requested, QuerySettings config) {
    return requested == null ? config.defaultRowLimit() : Math.min(requested, config.maxRowLimit());
  }

  private static boolean wantsCsv(HttpHeaders headers) {
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isCompatible(MediaType.valueOf(TEXT_CSV)) && !type.isWildcardType()) {
        return true;
      }
      if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return false;
      }
    }
    return false;
  }
}
