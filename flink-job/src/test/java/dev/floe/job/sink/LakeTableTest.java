package dev.floe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeTableTest {

  @TempDir Path warehouse;

  /** A new table at an empty location of a local warehouse (nothing there to recover). */
  private Table ensureExists(InMemoryCatalog catalog, TableIdentifier id) {
    return LakeTable.ensureExists(
        catalog,
        id,
        1024L,
        new HadoopFileIO(new org.apache.hadoop.conf.Configuration()),
        warehouse.resolve("lake").resolve("events").toUri().toString());
  }

  @Test
  void aNewTableGetsItsWritePropertiesAndAMainBranchOnce() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("lake-table-test", Map.of());
    TableIdentifier id = TableIdentifier.of("lake", "events");

    Table table = ensureExists(catalog, id);
    assertThat(table.properties())
        .containsEntry("write.parquet.dict-size-bytes", "32768")
        .containsEntry("write.parquet.compression-codec", "zstd");
    assertThat(table.refs()).doesNotContainKey(SnapshotRef.MAIN_BRANCH);

    LakeTable.ensureMainBranch(table);
    LakeTable.ensureMainBranch(catalog.loadTable(id));

    Table reloaded = catalog.loadTable(id);
    assertThat(reloaded.refs()).containsKey(SnapshotRef.MAIN_BRANCH);
    assertThat(reloaded.snapshots()).hasSize(1);
    assertThat(reloaded.currentSnapshot().summary()).containsEntry("total-records", "0");
  }

  @Test
  void anExistingTableGetsTheDictionaryLimitAtStart() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("lake-table-test", Map.of());
    TableIdentifier id = TableIdentifier.of("lake", "events");
    Table table = ensureExists(catalog, id);
    table.updateProperties().remove("write.parquet.dict-size-bytes").commit();

    LakeTable.applyWriteProperties(catalog.loadTable(id), 1024L);

    assertThat(catalog.loadTable(id).properties())
        .containsEntry("write.parquet.dict-size-bytes", "32768");
  }
}
