package dev.floe.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.floe.job.config.JobSettings;
import dev.floe.job.config.StorageSettings;
import dev.floe.job.testing.JobArgs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.fs.hdfs.HadoopFileSystem;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.hadoop.Util;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gs://} warehouse and checkpoints with the job's own configuration: Flink's file system and
 * Iceberg's FileIO must both be the Hadoop GCS connector. Flink refuses the Hadoop fallback for
 * {@code gs} unless {@code fs.allowed-fallback-filesystems} names it, so without the job's default
 * the first step (looking for a retained checkpoint) already fails.
 *
 * <p>The connector is pointed at a stub of the GCS JSON API on 127.0.0.1 (the emulator settings:
 * {@code fs.gs.storage.root.url}, no credentials, so no token or metadata-server lookup) that
 * answers "no such object" and "empty listing"; the test checks that every request reached it.
 */
class GcsStorageTest {

  private static final String BUCKET = "floe-lake";

  private HttpServer gcs;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startStub() throws IOException {
    gcs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    gcs.createContext("/", this::answer);
    gcs.start();
  }

  @AfterEach
  void stopStub() throws IOException {
    gcs.stop(0);
    // later tests in this JVM get Flink's default file systems back
    FileSystem.initialize(new Configuration(), null);
  }

  /** Objects: 404; listings: empty; the bucket: exists. */
  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestHeaders().getFirst("Host") + " " + path);
    int status;
    String body;
    if (path.matches(".*/storage/v1/b/" + BUCKET + "/o/.+")) {
      status = 404;
      body = "{\"error\":{\"code\":404,\"message\":\"No such object\"}}";
    } else if (path.matches(".*/storage/v1/b/" + BUCKET + "/o/?")) {
      status = 200;
      body = "{\"kind\":\"storage#objects\"}";
    } else if (path.matches(".*/storage/v1/b/" + BUCKET + "/?")) {
      status = 200;
      body = "{\"kind\":\"storage#bucket\",\"name\":\"" + BUCKET + "\"}";
    } else {
      status = 404;
      body = "{\"error\":{\"code\":404,\"message\":\"Not found\"}}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private String endpoint() {
    return "http://127.0.0.1:" + gcs.getAddress().getPort() + "/";
  }

  private JobSettings gcsSettings() {
    Map<String, String> env = new HashMap<>(JobArgs.REQUIRED_ENV);
    env.put("FLOE_CATALOG_WAREHOUSE", "gs://" + BUCKET + "/warehouse");
    env.put("FLOE_CHECKPOINT_DIR", "gs://" + BUCKET + "/checkpoints");
    env.put("FLOE_GCS_PROJECT_ID", "floe-local");
    env.put("FLOE_GCS_ENDPOINT", endpoint());
    return JobSettings.load(new String[0], env, new Configuration());
  }

  @Test
  void flinkOpensGsThroughTheHadoopGcsConnector() throws Exception {
    JobSettings settings = gcsSettings();

    // looks for a retained checkpoint under gs://floe-lake/checkpoints: none in the stub
    Configuration conf = FloeJobMain.environmentConfiguration(settings);

    assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).isNull();
    assertThat(conf.toMap())
        .containsEntry(StorageSettings.ALLOWED_FALLBACK_FILESYSTEMS, "gs")
        .containsEntry("flink.hadoop.fs.gs.storage.root.url", endpoint())
        .containsEntry("flink.hadoop.fs.gs.auth.null.enable", "true")
        .containsEntry("flink.hadoop.fs.gs.auth.service.account.enable", "false");
    FileSystem fs = new Path("gs://" + BUCKET + "/checkpoints").getFileSystem();
    assertThat(fs).isInstanceOf(HadoopFileSystem.class);
    assertThat(((HadoopFileSystem) fs).getHadoopFileSystem())
        .isInstanceOf(GoogleHadoopFileSystem.class);
    assertThat(fs.exists(new Path("gs://" + BUCKET + "/checkpoints/none"))).isFalse();

    assertThat(requests).isNotEmpty();
    assertOnlyTheStubWasAsked();
  }

  @Test
  void icebergOpensGsThroughTheHadoopGcsConnector() throws Exception {
    JobSettings settings = gcsSettings();
    Map<String, String> catalog = settings.catalogProperties();
    // the FileIO the job's JDBC catalog builds from the same properties and Hadoop configuration
    String ioImpl =
        catalog.getOrDefault(CatalogProperties.FILE_IO_IMPL, HadoopFileIO.class.getName());
    FileIO io = CatalogUtil.loadFileIO(ioImpl, catalog, settings.storage().hadoopConfiguration());

    assertThat(io).isInstanceOf(HadoopFileIO.class);
    org.apache.hadoop.fs.FileSystem hadoop =
        Util.getFs(new org.apache.hadoop.fs.Path(settings.warehouse()), ((HadoopFileIO) io).conf());
    assertThat(hadoop).isInstanceOf(GoogleHadoopFileSystem.class);
    String metadata = settings.warehouse() + "/lake/events/metadata/v1.metadata.json";
    assertThat(io.newInputFile(metadata).exists()).isFalse();

    assertThat(requests).isNotEmpty();
    assertOnlyTheStubWasAsked();
  }

  private void assertOnlyTheStubWasAsked() {
    String host = "127.0.0.1:" + gcs.getAddress().getPort();
    assertThat(requests)
        .allSatisfy(r -> assertThat(r).startsWith(host + " ").contains("/storage/v1/b/" + BUCKET));
  }
}
