package dev.floe.catalog.health;

import dev.floe.catalog.LakeCatalog;
import dev.floe.contract.LakeNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.iceberg.catalog.Namespace;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the catalog database answers (a namespace lookup through the JDBC catalog). */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {

  private final LakeCatalog catalog;

  public CatalogReadiness(LakeCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("catalog");
    try {
      boolean lake = catalog.get().namespaceExists(Namespace.of(LakeNames.NAMESPACE));
      return response.up().withData("namespace " + LakeNames.NAMESPACE, lake).build();
    } catch (RuntimeException e) {
      return response.down().withData("error", String.valueOf(e.getMessage())).build();
    }
  }
}
