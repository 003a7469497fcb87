package dev.floe.catalog.config;

import dev.floe.contract.LakeNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/**
 * Every setting of the catalog-service, under {@code floe.catalog}: the connection to the lake's
 * Iceberg JDBC catalog (the same keys, and so the same environment variables, as the Flink job's:
 * {@code floe.catalog.uri} = {@code FLOE_CATALOG_URI}) and the service's tokens. A bad value fails
 * the start with a message naming the key.
 */
@ConfigMapping(prefix = "floe.catalog")
public interface CatalogSettings {

  /** The catalog's name (the job's and Trino's catalog name in the JDBC catalog's tables). */
  @WithDefault(LakeNames.CATALOG)
  @NotBlank
  String name();

  /** JDBC URL of the catalog database (required). */
  @Pattern(
      regexp = "jdbc:postgresql://\\S+",
      message = "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)")
  String uri();

  /** The catalog database's user. */
  @WithDefault("floe")
  @NotBlank
  String user();

  /** That user's password. */
  Optional<String> password();

  /** The warehouse (file:// or gs://) the job writes (required). */
  @Pattern(regexp = "(file|gs)://\\S+", message = "must be a file:// or gs:// URI")
  String warehouse();

  /**
   * When set, every request but health needs {@code Authorization: Bearer <token>} (this token or
   * the admin token). Required when the service listens beyond loopback.
   */
  Optional<String> apiToken();

  /**
   * The token that allows writes (create, commit, drop, rename, register, namespace changes).
   * Unset: every write is refused.
   */
  Optional<String> adminToken();
}
