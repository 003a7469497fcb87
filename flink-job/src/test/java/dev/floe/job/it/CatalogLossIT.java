package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.contract.LakeNames;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import dev.floe.job.sink.LakeTable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * The catalog database loses the table while the job is stopped; the job starts again from its
 * retained checkpoint, finds the table's metadata in the warehouse, registers it, and goes on:
 * every event is in the table and in events.clean once, and no data file was deleted.
 */
@FloeStack({Service.KAFKA, Service.POSTGRES})
class CatalogLossIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void theJobRecoversALostCatalogFromTheWarehouseAndLosesOrDuplicatesNothing(EmbeddedStack stack)
      throws Exception {
    Pipelines p = new Pipelines(stack, "catalogloss");
    Random random = new Random(21);
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 3_000, 0, new Pipelines.Sent(), random);
    int before = sent.valid.size();

    JobClient first = p.start();
    try {
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= before);
    } finally {
      Pipelines.cancel(first);
    }
    TableIdentifier id = TableIdentifier.of("lake", p.table);
    Table original = p.catalog().loadTable(id);
    String newestMetadata = LakeTable.currentMetadataFile(original);
    Path location = Path.of(URI.create(original.location()).getPath());
    Set<Path> dataFiles = files(location.resolve("data"));
    assertThat(dataFiles).isNotEmpty();

    // the catalog database loses the table: its row is gone, as in a new, empty database
    try (Connection db =
            DriverManager.getConnection(
                stack.catalogJdbcUrl(), stack.catalogUser(), stack.catalogPassword());
        PreparedStatement delete =
            db.prepareStatement(
                "DELETE FROM iceberg_tables WHERE table_namespace = ? AND table_name = ?")) {
      delete.setString(1, "lake");
      delete.setString(2, p.table);
      assertThat(delete.executeUpdate()).isEqualTo(1);
    }
    assertThat(p.catalog().tableExists(id)).isFalse();

    // more events while the job is down, then the job comes back from its checkpoint
    Pipelines.produce(p.raw, stack.kafkaBootstrapServers(), 2_000, 3_000, sent, random);
    int expected = sent.valid.size();
    JobClient second = p.start();
    try {
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected);
      await().atMost(TIMEOUT).until(() -> p.readCommitted(p.clean).size() >= expected);
      long checkpoint = p.latestCheckpoint();
      await().atMost(TIMEOUT).until(() -> p.latestCheckpoint() >= checkpoint + 2);
    } finally {
      Pipelines.cancel(second);
    }

    Table recovered = p.catalog().loadTable(id);
    assertThat(recovered.properties())
        .containsEntry(LakeNames.TABLE_RECOVERED_FROM_PROPERTY, newestMetadata)
        .containsKey(LakeNames.TABLE_RECOVERED_AT_PROPERTY);
    assertThat(recovered.location()).isEqualTo(original.location());

    List<Record> rows = p.tableRows();
    assertThat(rows).hasSize(expected);
    assertThat(rows.stream().map(r -> (String) r.getField("event_id")).collect(Collectors.toSet()))
        .isEqualTo(sent.valid.keySet());
    List<String> cleanIds = p.cleanEventIds();
    assertThat(cleanIds).hasSize(expected).doesNotHaveDuplicates();
    assertThat(Set.copyOf(cleanIds)).isEqualTo(sent.valid.keySet());
    // every data file written before the loss is still there
    assertThat(files(location.resolve("data"))).containsAll(dataFiles);
  }

  private static Set<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).collect(Collectors.toSet());
    }
  }
}
