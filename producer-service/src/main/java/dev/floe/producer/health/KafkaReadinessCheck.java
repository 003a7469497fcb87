package dev.floe.producer.health;

import dev.floe.producer.config.ProducerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster answers within {@code floe.producer.kafka.health-timeout}: a
 * replica that cannot reach Kafka would answer every POST with 503, so the load balancer should
 * skip it. Liveness is not tied to Kafka (restarting the service does not bring a broker back).
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
  private final Admin admin;
  private final ProducerSettings settings;

  public KafkaReadinessCheck(Admin admin, ProducerSettings settings) {
    this.admin = admin;
    this.settings = settings;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("kafka");
    long timeout = settings.kafka().healthTimeout().toMillis();
    try {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout))
              .nodes()
              .get(timeout + 500, TimeUnit.MILLISECONDS)
              .size();
      return builder.up().withData("brokers", nodes).withData("topic", settings.topic()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return builder.down().withData("error", "interrupted").build();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return builder.down().withData("error", String.valueOf(cause)).build();
    }
  }
}
