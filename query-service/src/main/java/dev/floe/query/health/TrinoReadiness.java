package dev.floe.query.health;

import dev.floe.query.trino.TrinoGateway;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Trino answers a query as the service's user. */
@Readiness
@ApplicationScoped
public class TrinoReadiness implements HealthCheck {

  private final TrinoGateway trino;

  public TrinoReadiness(TrinoGateway trino) {
    this.trino = trino;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("trino");
    try (Connection connection = trino.open();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(5);
      try (ResultSet rs = statement.executeQuery("SELECT 1")) {
        rs.next();
      }
      return response.up().build();
    } catch (SQLException | RuntimeException e) {
      return response.down().withData("error", String.valueOf(e.getMessage())).build();
    }
  }
}
