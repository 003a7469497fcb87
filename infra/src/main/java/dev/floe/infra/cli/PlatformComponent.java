package dev.floe.infra.cli;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import java.util.LinkedHashMap;
import java.util.Map;

/** The platform services (Kafka, PostgreSQL with the catalog, Trino) as a CLI component. */
final class PlatformComponent implements Component {

  private EmbeddedStack stack;

  @Override
  public String name() {
    return "platform";
  }

  @Override
  public void start(CliContext context) {
    stack = EmbeddedStack.start(context.settings());
    context.stack(stack);
    stack
        .startupTimes()
        .forEach(
            (service, took) ->
                System.out.printf(
                    "floe: %-8s ready in %5.1f s%n", service, took.toMillis() / 1000.0));
  }

  @Override
  public Map<String, String> endpoints() {
    Map<String, String> out = new LinkedHashMap<>();
    if (stack == null) {
      return out;
    }
    if (stack.settings().services().contains(Service.KAFKA)) {
      out.put("Kafka bootstrap servers", stack.kafkaBootstrapServers());
      out.put("Kafka topics", String.join(", ", stack.platformTopics().keySet()));
    }
    if (stack.settings().services().contains(Service.POSTGRES)) {
      out.put(
          "Iceberg catalog",
          stack.catalogName()
              + " @ "
              + stack.catalogJdbcUrl()
              + " (user "
              + stack.catalogUser()
              + ")");
      out.put("Warehouse", stack.warehouse());
    }
    if (stack.settings().services().contains(Service.TRINO)) {
      out.put("Trino", stack.trinoUri() + "  (JDBC " + stack.trinoJdbcUrl() + ")");
      out.put(
          "Trino users",
          EmbeddedStack.TRINO_ADMIN_USER
              + " (all), "
              + EmbeddedStack.TRINO_QUERY_USER
              + " (read-only)");
    }
    out.put("Logs", stack.logDir().toString());
    return out;
  }

  @Override
  public void close() {
    if (stack != null) {
      stack.close();
    }
  }
}
