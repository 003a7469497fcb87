package dev.floe.query.config;

import dev.floe.contract.LakeNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Every setting of the query service, under {@code floe.query}. Each key can also be given as an
 * environment variable ({@code floe.query.trino.url} = {@code FLOE_QUERY_TRINO_URL}). A bad value
 * fails the start with a message naming the key.
 */
@ConfigMapping(prefix = "floe.query")
public interface QuerySettings {

  /** An identifier of Trino's grammar without quotes: {@code catalog.schema.table} parts. */
  String TABLE_NAME = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){2}";

  @Valid
  Trino trino();

  /**
   * The events table, fully qualified as {@code catalog.schema.table}; its catalog and schema are
   * also the session defaults, so {@code /query} can say {@code FROM events}.
   */
  @WithDefault(LakeNames.TRINO_TABLE)
  @Pattern(regexp = TABLE_NAME, message = "must be catalog.schema.table (unquoted identifiers)")
  String eventsTable();

  /** Rows returned when a request gives no {@code limit}. */
  @WithDefault("1000")
  @Min(1)
  @Max(1_000_000)
  int defaultRowLimit();

  /** The largest {@code limit} a request may ask for; larger ones are capped to it. */
  @WithDefault("10000")
  @Min(1)
  @Max(1_000_000)
  int maxRowLimit();

  /** How long one query may run (in Trino and while its rows are read) before it is cancelled. */
  @WithDefault("30s")
  @DurationMin(millis = 100)
  @DurationMax(hours = 1)
  Duration timeLimit();

  /** When set, every endpoint but health requires {@code Authorization: Bearer <token>}. */
  Optional<String> apiToken();

  /** How the service reaches Trino. */
  interface Trino {
    /** The Trino JDBC URL. */
    @WithDefault("jdbc:trino://localhost:8088")
    @Pattern(
        regexp = "jdbc:trino://\\S+",
        message = "must be a Trino JDBC URL (jdbc:trino://host:port)")
    String url();

    /** The read-only Trino user the service runs every query as. */
    @WithDefault("floe_query")
    @NotBlank
    String user();

    /** Password of that user; Trino only accepts passwords over HTTPS (SSL=true in the URL). */
    Optional<String> password();

    /**
     * How long the driver keeps retrying a Trino that does not answer before the request fails with
     * 503 (the JDBC driver's {@code timeout}); also bounds the readiness check.
     */
    @WithDefault("5s")
    @DurationMin(millis = 100)
    @DurationMax(minutes = 10)
    Duration requestTimeout();
  }
}
