package dev.floe.catalog.it;

import dev.floe.infra.SharedStack;
import dev.floe.infra.StackSettings;
import dev.floe.infra.process.Processes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the service under test at the shared embedded catalog and gives it an admin token. The
 * service listens on a port picked here, so that the JVM's Trino can be started with its lake
 * catalog going through this service ({@code FLOE_TRINO_CATALOG_TYPE=rest}); its admin catalog
 * stays on the JDBC catalog.
 */
public class CatalogLakeResource implements QuarkusTestResourceLifecycleManager {

  /** The admin token of the service under test. */
  public static final String ADMIN_TOKEN = "test-admin-token";

  private static final String PORT = "catalog-service-it.port";

  /** The service's port, the same for every Quarkus restart of this JVM (Trino points at it). */
  static synchronized int port() {
    String port = System.getProperty(PORT);
    if (port == null) {
      port = Integer.toString(Processes.freePort());
      System.setProperty(PORT, port);
      String uri = "http://127.0.0.1:" + port;
      SharedStack.configure(
          b -> b.trinoCatalogType(StackSettings.TRINO_CATALOG_REST).restCatalogUri(uri));
    }
    return Integer.parseInt(port);
  }

  @Override
  public Map<String, String> start() {
    int port = port();
    CatalogLake lake = CatalogLake.get();
    return Map.of(
        "quarkus.http.test-port", Integer.toString(port),
        "floe.catalog.uri", lake.stack.catalogJdbcUrl(),
        "floe.catalog.user", lake.stack.catalogUser(),
        "floe.catalog.password", lake.stack.catalogPassword(),
        "floe.catalog.warehouse", lake.stack.warehouse(),
        "floe.catalog.admin-token", ADMIN_TOKEN);
  }

  @Override
  public void stop() {
    // the shared stack outlives the application; a shutdown hook stops it
  }
}
