package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code ./floe partition-by} and {@code ./floe table} against a real Trino: the table is named in
 * the read-only catalog {@code iceberg}, the change goes through the admin catalog.
 */
@FloeStack({Service.POSTGRES, Service.TRINO})
class TableAdminIT {

  @Test
  void partitionByChangesTheSpecAndTableShowsBoth(EmbeddedStack stack) throws Exception {
    String table =
        "iceberg.lake.admin_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = TableAdmin.admin(stack.trinoJdbcUrl());
        Statement s = c.createStatement()) {
      String writable = EmbeddedStack.inAdminCatalog(table);
      s.execute(
          "CREATE TABLE "
              + writable
              + " (event_id varchar, occurred_at timestamp(6) with time zone)"
              + " WITH (partitioning = ARRAY['day(occurred_at)'])");
      s.execute("INSERT INTO " + writable + " VALUES ('e-1', TIMESTAMP '2026-01-01 10:00:00 UTC')");
    }

    ByteArrayOutputStream changed = new ByteArrayOutputStream();
    int status =
        TableAdmin.partitionBy(
            stack.trinoJdbcUrl(),
            table,
            List.of("hour(occurred_at)"),
            new PrintStream(changed, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    assertThat(changed.toString(StandardCharsets.UTF_8))
        .contains("old partitioning: ARRAY['day(occurred_at)']")
        .contains("new partitioning: ARRAY['hour(occurred_at)']");

    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    assertThat(
            TableAdmin.show(
                stack.trinoJdbcUrl(), table, new PrintStream(shown, true, StandardCharsets.UTF_8)))
        .isZero();
    assertThat(shown.toString(StandardCharsets.UTF_8))
        .contains("partitioning: ARRAY['hour(occurred_at)']")
        .contains("spec 0: 1 data files, 1 rows");
  }

  @Test
  void partitionBySucceedsWhileAnotherWriterCommits(EmbeddedStack stack) throws Exception {
    String table =
        "iceberg.lake.busy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String writable = EmbeddedStack.inAdminCatalog(table);
    try (Connection c = TableAdmin.admin(stack.trinoJdbcUrl());
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + writable
              + " (event_id varchar, occurred_at timestamp(6) with time zone)"
              + " WITH (partitioning = ARRAY['day(occurred_at)'])");
    }
    // a writer committing as fast as it can, as the job does every second
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger commits =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              try (Connection c = TableAdmin.admin(stack.trinoJdbcUrl());
                  Statement s = c.createStatement()) {
                while (!stop.get()) {
                  try {
                    s.execute(
                        "INSERT INTO "
                            + writable
                            + " VALUES ('e', TIMESTAMP '2026-01-01 10:00:00 UTC')");
                    commits.incrementAndGet();
                  } catch (java.sql.SQLException e) {
                    // the writer loses races too; it just goes on
                  }
                }
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    try {
      List<List<String>> specs =
          List.of(
              List.of("hour(occurred_at)"),
              List.of("day(occurred_at)"),
              List.of("hour(occurred_at)"),
              List.of("day(occurred_at)"));
      for (List<String> fields : specs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(
                TableAdmin.partitionBy(
                    stack.trinoJdbcUrl(),
                    table,
                    fields,
                    new PrintStream(out, true, StandardCharsets.UTF_8)))
            .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("new partitioning: " + Partitioning.arrayLiteral(fields));
      }
    } finally {
      stop.set(true);
      writer.join(60_000);
    }
    assertThat(commits.get()).as("the other writer committed meanwhile").isPositive();
  }
}
