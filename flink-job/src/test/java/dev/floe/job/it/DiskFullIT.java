package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import dev.floe.infra.process.Processes;
import dev.floe.job.FloeJobMain;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The warehouse and the checkpoints on a small file system that fills up while events keep coming
 * (a size-limited tmpfs; mounting one needs root, so on a machine where {@code mount} is refused
 * the test is skipped and says so). While the disk is full the job's commits and checkpoints fail
 * and it restarts from its last checkpoint, again and again; the events wait in Kafka. Once space
 * is freed the job catches up: every event in the table and in events.clean once.
 */
@FloeStack({Service.KAFKA, Service.POSTGRES})
class DiskFullIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      // lazy: the job's MiniCluster may still hold a file open for a moment after the test
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void withTheDiskFullNothingIsLostAndOnceFreedTheLakeCatchesUpExactly(EmbeddedStack stack)
      throws Exception {
    mount = Path.of("target", "disk-full", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(mount);
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString());
    if (!mounted) {
      mount = null;
    }
    Assumptions.assumeTrue(mounted, "mount -t tmpfs is refused here (not root): disk-full not run");

    Pipelines p = new Pipelines(stack, "diskfull");
    Random random = new Random(4);
    Pipelines.Sent sent =
        Pipelines.produce(
            p.raw, stack.kafkaBootstrapServers(), 2_000, 0, new Pipelines.Sent(), random);
    int restPort = Processes.freePort();
    String rest = "http://127.0.0.1:" + restPort;
    JobClient job =
        FloeJobMain.start(
            p.settings(
                "--floe.checkpoint.dir",
                mount.resolve("checkpoints").toUri().toString(),
                "--floe.catalog.warehouse",
                mount.resolve("warehouse").toUri().toString(),
                "--rest.port",
                Integer.toString(restPort)));
    Path filler = mount.resolve("filler");
    try {
      int first = sent.valid.size();
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= first);

      // the disk fills up
      fill(filler);
      Pipelines.produce(p.raw, stack.kafkaBootstrapServers(), 2_000, 2_000, sent, random);
      await("the job fails for want of space")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> rootException(rest, job).contains("No space left on device"));
      long whileFull = p.committedRows();
      assertThat(whileFull).isLessThan(sent.valid.size());

      // space is freed: the job catches up from its last checkpoint
      Files.delete(filler);
      int expected = sent.valid.size();
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= expected);
      await().atMost(TIMEOUT).until(() -> p.readCommitted(p.clean).size() >= expected);
    } finally {
      Pipelines.cancel(job);
      Files.deleteIfExists(filler);
    }

    List<Record> rows = p.tableRows();
    assertThat(rows).hasSize(sent.valid.size());
    assertThat(rows.stream().map(r -> (String) r.getField("event_id")).collect(Collectors.toSet()))
        .isEqualTo(sent.valid.keySet());
    List<String> clean = p.cleanEventIds();
    assertThat(clean).hasSize(sent.valid.size()).doesNotHaveDuplicates();
    assertThat(Set.copyOf(clean)).isEqualTo(sent.valid.keySet());
  }

  /** Writes to a file until the file system has no space left. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
  }

  /** The job's latest root exception (Flink REST API), or "" while there is none. */
  private static String rootException(String rest, JobClient job) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(rest + "/jobs/" + job.getJobID() + "/exceptions"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode n = Pipelines.JSON.readTree(r.body());
      return n.path("exceptionHistory").toString() + n.path("root-exception").asText("");
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static boolean run(String... command) throws Exception {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      if (!ok) {
        System.out.println(String.join(" ", command) + ": " + out.trim());
      }
      return ok;
    } catch (IOException e) {
      return false;
    }
  }
}
