package dev.floe.catalog;

import dev.floe.catalog.config.CatalogSettings;
import dev.floe.catalog.config.GcsSettings;
import dev.floe.contract.GcsHadoopKeys;
import dev.floe.contract.LakeNames;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The lake's Iceberg JDBC catalog, the one the job writes and Trino reads: the REST API is a front,
 * this catalog stays the store. Built once, on first use; closed at shutdown.
 */
@ApplicationScoped
public class LakeCatalog {

  private final CatalogSettings settings;
  private final GcsSettings gcs;
  private volatile JdbcCatalog catalog;

  public LakeCatalog(CatalogSettings settings, GcsSettings gcs) {
    this.settings = settings;
    this.gcs = gcs;
  }

  /**
   * The catalog.
   *
   * @return the JDBC catalog (also a {@code SupportsNamespaces} and a {@code ViewCatalog})
   */
  public JdbcCatalog get() {
    JdbcCatalog c = catalog;
    if (c == null) {
      synchronized (this) {
        if (catalog == null) {
          catalog = build();
        }
        c = catalog;
      }
    }
    return c;
  }

  /** The catalog's properties: the connection every component shares, and HadoopFileIO. */
  Map<String, String> properties() {
    Map<String, String> p =
        new LinkedHashMap<>(
            new LakeNames.CatalogConnection(
                    settings.uri(),
                    settings.user(),
                    settings.password().orElse(""),
                    settings.warehouse())
                .icebergProperties());
    p.put(CatalogProperties.FILE_IO_IMPL, HadoopFileIO.class.getName());
    return p;
  }

  private JdbcCatalog build() {
    try {
      // Quarkus' class loaders hide the driver from DriverManager's service loading
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the PostgreSQL JDBC driver is missing", e);
    }
    Configuration hadoop = new Configuration();
    if (settings.warehouse().startsWith("gs://")) {
      GcsHadoopKeys.of(gcs.projectId(), gcs.credentialsFile(), gcs.endpoint()).forEach(hadoop::set);
    }
    Catalog built = CatalogUtil.buildIcebergCatalog(settings.name(), properties(), hadoop);
    return (JdbcCatalog) built;
  }

  void close(@Observes ShutdownEvent event) {
    JdbcCatalog c = catalog;
    if (c != null) {
      c.close();
    }
  }
}
