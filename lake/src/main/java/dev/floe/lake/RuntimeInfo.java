package dev.floe.lake;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The addresses of a running lake, written to {@code <dataDir>/run/lake.properties} once it is up,
 * so that {@code floe status} and {@code floe dlq} (other processes) find it whatever the ports.
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers
 * @param trinoJdbcUrl Trino JDBC URL
 * @param flinkRestUrl Flink MiniCluster REST base URL
 * @param producerUrls base URL of each producer replica
 * @param queryUrl base URL of the query-service
 * @param jobGroupId consumer group of the Flink job
 * @param checkpointDir the job's checkpoint directory
 */
public record RuntimeInfo(
    String kafkaBootstrapServers,
    String trinoJdbcUrl,
    String flinkRestUrl,
    List<String> producerUrls,
    String queryUrl,
    String jobGroupId,
    String checkpointDir) {

  static Path file(Path dataDir) {
    return dataDir.resolve("run").resolve("lake.properties");
  }

  static void write(Path dataDir, RuntimeInfo info) {
    Properties p = new Properties();
    p.setProperty("kafka.bootstrap-servers", info.kafkaBootstrapServers);
    p.setProperty("trino.jdbc-url", info.trinoJdbcUrl);
    p.setProperty("flink.rest-url", info.flinkRestUrl);
    p.setProperty("producer.urls", String.join(",", info.producerUrls));
    p.setProperty("query.url", info.queryUrl);
    p.setProperty("job.group-id", info.jobGroupId);
    p.setProperty("job.checkpoint-dir", info.checkpointDir);
    Path file = file(dataDir);
    try {
      StringWriter out = new StringWriter();
      p.store(out, "addresses of the running lake (written by floe up, removed when it stops)");
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * The info of the lake last started on a data directory, if it is still recorded.
   *
   * @param dataDir the data directory
   * @return the info, empty when no lake recorded one
   */
  public static Optional<RuntimeInfo> read(Path dataDir) {
    Path file = file(dataDir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    }
    List<String> producers = new ArrayList<>();
    for (String url : p.getProperty("producer.urls", "").split(",")) {
      if (!url.isBlank()) {
        producers.add(url.trim());
      }
    }
    return Optional.of(
        new RuntimeInfo(
            p.getProperty("kafka.bootstrap-servers"),
            p.getProperty("trino.jdbc-url"),
            p.getProperty("flink.rest-url"),
            List.copyOf(producers),
            p.getProperty("query.url"),
            p.getProperty("job.group-id", Lake.JOB_GROUP_ID),
            p.getProperty("job.checkpoint-dir")));
  }

  static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(file(dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
