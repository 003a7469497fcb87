package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.LakeNames;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import dev.floe.job.sink.LakeTable;
import dev.floe.job.sink.OrphanGuard;
import dev.floe.job.sink.WarehouseMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The table's recovery from the warehouse ({@link LakeTable#ensureExists}) on the JDBC catalog in
 * PostgreSQL and a local warehouse. Each test has its own table; "a fresh catalog" is the catalog
 * after the table's row in it is gone (dropped without purge: the files stay), which is what a lost
 * or replaced catalog database is for that table.
 */
@FloeStack({Service.POSTGRES})
class TableRecoveryIT {

  private final EmbeddedStack stack;
  private final TableIdentifier id =
      TableIdentifier.of("lake", "recovery_" + UUID.randomUUID().toString().substring(0, 8));
  private HadoopFileIO io;
  private String location;
  private Catalog catalog;

  TableRecoveryIT(EmbeddedStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void setUp() {
    io = new HadoopFileIO(new Configuration());
    location = LakeTable.defaultLocation(stack.warehouse(), id);
    catalog =
        CatalogUtil.buildIcebergCatalog("floe", stack.catalogProperties(), new Configuration());
  }

  @AfterEach
  void tearDown() throws IOException {
    io.close();
    if (catalog instanceof java.io.Closeable c) {
      c.close();
    }
  }

  /** The catalog without the table: its pointer lost, its files where they were. */
  private Catalog freshCatalog() {
    catalog.dropTable(id, false);
    return catalog;
  }

  private Table ensure(Catalog catalog) {
    return LakeTable.ensureExists(catalog, id, 1 << 20, io, location);
  }

  /** An append of one (pretend) data file: its manifest and manifest list are real files. */
  private static void append(Table table, String name) {
    DataFile file =
        DataFiles.builder(table.spec())
            .withPath(table.location() + "/data/" + name + ".parquet")
            .withFileSizeInBytes(100)
            .withRecordCount(1)
            .withPartitionPath("occurred_at_day=2026-12-06")
            .build();
    table.newAppend().appendFile(file).commit();
  }

  private static long dataFiles(Table table) {
    long n = 0;
    for (var task : table.newScan().planFiles()) {
      n++;
    }
    return n;
  }

  @Test
  void aLostCatalogGetsTheTableBackFromTheNewestMetadataInsteadOfANewEmptyTable() {
    Table original = ensure(catalog);
    assertThat(original.properties()).containsKey(LakeNames.TABLE_CREATED_AT_PROPERTY);
    append(original, "a");
    append(original, "b");
    append(original, "c");
    String newest = LakeTable.currentMetadataFile(original);

    Table recovered = ensure(freshCatalog());

    assertThat(dataFiles(recovered)).isEqualTo(3);
    assertThat(recovered.currentSnapshot().snapshotId())
        .isEqualTo(original.currentSnapshot().snapshotId());
    assertThat(recovered.properties())
        .containsEntry(LakeNames.TABLE_RECOVERED_FROM_PROPERTY, newest)
        .containsKey(LakeNames.TABLE_RECOVERED_AT_PROPERTY)
        .containsEntry(
            LakeNames.TABLE_CREATED_AT_PROPERTY,
            original.properties().get(LakeNames.TABLE_CREATED_AT_PROPERTY));
    // the new commits go on from the recovered history
    append(recovered, "d");
    assertThat(dataFiles(ensure(freshCatalog()))).isEqualTo(4);
  }

  @Test
  void aMetadataFileOfAFailedCommitWhoseManifestListIsGoneIsPassedOver() throws IOException {
    Table table = ensure(catalog);
    append(table, "a");
    String committed = LakeTable.currentMetadataFile(table);
    append(table, "b");
    // the committer cleans up after a failed swap: the new snapshot's manifest list is deleted
    Files.delete(
        Path.of(java.net.URI.create(table.currentSnapshot().manifestListLocation()).getPath()));

    Table recovered = ensure(freshCatalog());

    assertThat(recovered.properties())
        .containsEntry(LakeNames.TABLE_RECOVERED_FROM_PROPERTY, committed);
    assertThat(dataFiles(recovered)).isEqualTo(1);
  }

  @Test
  void anUnreadableNewestMetadataFileIsPassedOverAndBlocksOrphanCleanup() throws IOException {
    Table table = ensure(catalog);
    append(table, "a");
    String committed = LakeTable.currentMetadataFile(table);
    int version = WarehouseMetadata.version(committed).orElseThrow();
    Path broken =
        Path.of(java.net.URI.create(WarehouseMetadata.metadataDir(location)).getPath())
            .resolve(String.format("%05d-%s.metadata.json", version + 1, UUID.randomUUID()));
    Files.writeString(broken, "{\"format-version\": 2, \"table-uu", StandardCharsets.UTF_8);

    Table recovered = ensure(freshCatalog());

    assertThat(recovered.properties())
        .containsEntry(LakeNames.TABLE_RECOVERED_FROM_PROPERTY, committed);
    assertThat(
            OrphanGuard.refusal(
                OrphanGuard.facts(recovered, io),
                Instant.now().plus(Duration.ofDays(2)),
                Duration.ofDays(1)))
        .hasValueSatisfying(r -> assertThat(r).contains(broken.getFileName().toString()));
  }

  @Test
  void aCatalogPointingAtAnOlderMetadataFileIsMovedToTheNewest() {
    Table table = ensure(catalog);
    append(table, "a");
    String older = LakeTable.currentMetadataFile(table);
    append(table, "b");
    String newest = LakeTable.currentMetadataFile(table);
    Catalog restoredFromOldBackup = freshCatalog();
    restoredFromOldBackup.registerTable(id, older);

    Table recovered = ensure(restoredFromOldBackup);

    assertThat(dataFiles(recovered)).isEqualTo(2);
    assertThat(recovered.properties())
        .containsEntry(LakeNames.TABLE_RECOVERED_FROM_PROPERTY, newest);
  }

  @Test
  void aTableTheCatalogKnowsAtItsNewestMetadataIsLoadedAsItIs() {
    Table table = ensure(catalog);
    append(table, "a");
    Table again = ensure(catalog);
    assertThat(LakeTable.currentMetadataFile(again))
        .isEqualTo(LakeTable.currentMetadataFile(table));
    assertThat(again.properties()).doesNotContainKey(LakeNames.TABLE_RECOVERED_FROM_PROPERTY);
  }

  @Test
  void aTableCreatedOverTheFilesOfAForgottenOneIsRefusedOrphanCleanup() throws IOException {
    // the files of a table the catalog forgot, from yesterday, without metadata
    Path old = Path.of(java.net.URI.create(location + "/data/old.parquet").getPath());
    Files.createDirectories(old.getParent());
    Files.writeString(old, "parquet");
    Files.setLastModifiedTime(
        old, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(1))));
    Table table = ensure(catalog);
    assertThat(OrphanGuard.allows(table, io, Duration.ofMinutes(1))).isFalse();
    // the file is still there
    assertThat(old).exists();
  }

  @Test
  void aTableWhoseHistoryIsWholeAllowsOrphanCleanup() {
    Table table = ensure(catalog);
    append(table, "a");
    assertThat(OrphanGuard.allows(table, io, Duration.ofMinutes(1))).isTrue();
  }
}
