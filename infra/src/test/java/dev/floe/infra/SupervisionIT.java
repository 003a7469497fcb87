package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.infra.process.Supervisor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A platform service killed with SIGKILL comes back by itself under a supervisor, with its data:
 * PostgreSQL killed at its server process (the postmaster, which its JVM now follows) and at its
 * JVM; a service stopped on purpose stays stopped.
 */
class SupervisionIT {

  private final Path dataDir =
      Path.of("target", "floe-supervision-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  void aKilledCatalogDatabaseIsRestartedWithItsData() throws Exception {
    StackSettings settings =
        StackSettings.forTests(dataDir).toBuilder().services(Service.POSTGRES).build();
    List<String> lines = new CopyOnWriteArrayList<>();
    Supervisor.Policy fast =
        new Supervisor.Policy(
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            Duration.ofMinutes(1),
            Duration.ofMillis(100));
    try (EmbeddedStack stack = EmbeddedStack.start(settings);
        Supervisor supervisor = new Supervisor(dataDir.resolve("run"), fast, lines::add)) {
      stack.supervise(supervisor);
      assertThat(namespaces(stack)).contains(stack.catalogNamespace());

      // kill -9 of the database server: its JVM notices and exits, the supervisor restarts both
      ProcessHandle postmaster = stack.postgresServer().orElseThrow();
      postmaster.destroyForcibly();
      await("PostgreSQL restarted after its postmaster was killed")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> restarts() == 1 && stack.isRunning(Service.POSTGRES));
      assertThat(stack.postgresServer()).get().isNotEqualTo(postmaster);
      assertThat(namespaces(stack)).contains(stack.catalogNamespace());

      // kill -9 of the JVM that runs it
      ProcessHandle jvm =
          new dev.floe.infra.process.PidFile(dataDir.resolve("run").resolve("postgres.pid"))
              .liveProcess()
              .orElseThrow();
      jvm.destroyForcibly();
      await("PostgreSQL restarted after its JVM was killed")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> restarts() == 2 && stack.isRunning(Service.POSTGRES));
      assertThat(namespaces(stack)).contains(stack.catalogNamespace());
      assertThat(lines).anyMatch(l -> l.contains("postgres restarted (2 so far)"));

      // stopped on purpose: not restarted
      stack.stopPostgres();
      assertThat(restarts()).isEqualTo(2);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !stack.isRunning(Service.POSTGRES) && restarts() == 2);
    }
  }

  private int restarts() {
    return Supervisor.read(dataDir.resolve("run"), "postgres")
        .map(Supervisor.Record::restarts)
        .orElse(0);
  }

  private static List<String> namespaces(EmbeddedStack stack) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                stack.catalogJdbcUrl(), stack.catalogUser(), stack.catalogPassword());
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT DISTINCT namespace FROM iceberg_namespace_properties")) {
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
