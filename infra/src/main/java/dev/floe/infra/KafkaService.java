package dev.floe.infra;

import dev.floe.infra.child.ChildMain;
import dev.floe.infra.child.KafkaMain;
import dev.floe.infra.process.PidFile;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.ServiceStartException;
import dev.floe.infra.process.SupervisedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The Kafka broker child JVM (KRaft, combined broker and controller). */
final class KafkaService {

  private final StackSettings settings;
  private final Path home;
  private final Path logFile;
  private final Path pidFile;
  private final Path controlFile;
  private SupervisedProcess process;

  KafkaService(StackSettings settings) {
    this.settings = settings;
    this.home = settings.dataDir().resolve("kafka");
    this.logFile = settings.dataDir().resolve("logs").resolve("kafka.log");
    this.pidFile = settings.dataDir().resolve("run").resolve("kafka.pid");
    this.controlFile = settings.dataDir().resolve("run").resolve("kafka.control");
  }

  String bootstrapServers() {
    return "127.0.0.1:" + settings.kafkaPort();
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Died without {@link #stop()}: the process this instance launched is gone. */
  boolean crashed() {
    return process != null && !process.isAlive();
  }

  /** Launches the broker without waiting; {@link #awaitReady()} waits. */
  synchronized void launch() {
    if (isRunning()) {
      return;
    }
    new PidFile(pidFile).stopLeftoverAndDelete(Duration.ofSeconds(30));
    Processes.requireFree("Kafka", settings.kafkaPort(), "FLOE_KAFKA_PORT");
    Processes.requireFree(
        "Kafka controller", settings.kafkaControllerPort(), "FLOE_KAFKA_CONTROLLER_PORT");
    Platform.deleteIfExists(controlFile);
    Path dataDir = home.resolve("data");
    Path serverProperties = home.resolve("server.properties");
    Platform.write(
        serverProperties,
        Platform.substitute(
            Platform.text("kafka/server.properties"),
            Map.of(
                "FLOE_KAFKA_PORT", Integer.toString(settings.kafkaPort()),
                "FLOE_KAFKA_CONTROLLER_PORT", Integer.toString(settings.kafkaControllerPort()),
                "FLOE_KAFKA_LOG_DIR", dataDir.toString())));
    List<String> jvm =
        Platform.childJavaCommand(
            "kafka",
            settings.dataDir(),
            List.of(
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true"));
    if (!Files.isRegularFile(dataDir.resolve("meta.properties"))) {
      format(jvm, serverProperties);
    }
    List<String> cmd = new ArrayList<>(jvm);
    cmd.add(ChildMain.class.getName());
    cmd.add(KafkaMain.class.getName());
    cmd.add(serverProperties.toString());
    cmd.add(bootstrapServers());
    cmd.add(controlFile.toString());
    topics().forEach((name, partitions) -> cmd.add(name + "=" + partitions));
    process =
        SupervisedProcess.builder("kafka")
            .displayName("Kafka broker (port " + settings.kafkaPort() + ")")
            .command(cmd)
            .workDir(home)
            .logFile(logFile)
            .pidFile(pidFile)
            .readiness(() -> Files.isRegularFile(controlFile))
            .startTimeout(settings.startTimeout())
            .stopTimeout(Duration.ofSeconds(30))
            .start();
  }

  void awaitReady() {
    process.awaitReady();
  }

  /** Stops the broker this instance launched; never touches a broker another run owns. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.stop();
    process = null;
    Platform.deleteIfExists(controlFile);
  }

  /**
   * Creates a topic through the broker JVM's control endpoint; an existing topic is left as it is.
   */
  void createTopic(String name, int partitions) {
    if (!isRunning()) {
      throw new IllegalStateException("Kafka is not running; cannot create topic " + name);
    }
    try {
      int port = Integer.parseInt(Files.readString(controlFile).trim());
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + port
                          + "/topics?name="
                          + URLEncoder.encode(name, StandardCharsets.UTF_8)
                          + "&partitions="
                          + partitions))
              .timeout(Duration.ofSeconds(90))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("cannot create topic " + name + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  static Map<String, Integer> topics() {
    Properties p = Platform.properties("kafka/topics.properties");
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      try {
        out.put(name, Integer.parseInt(p.getProperty(name).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            "infra/kafka/topics.properties: partitions of " + name + " must be a number");
      }
    }
    return out;
  }

  private void format(List<String> jvm, Path serverProperties) {
    // Kafka's cluster id: 16 random bytes, URL-safe base64 without padding (what StorageTool
    // random-uuid prints).
    byte[] id = new byte[16];
    new SecureRandom().nextBytes(id);
    String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    List<String> cmd = new ArrayList<>(jvm);
    cmd.addAll(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            // one argument, so that an id starting with '-' is not taken for an option
            "--cluster-id=" + clusterId,
            "-c",
            serverProperties.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      Files.createDirectories(logFile.getParent());
      Process p = pb.start();
      if (!p.waitFor(settings.startTimeout().toSeconds(), TimeUnit.SECONDS)) {
        Processes.terminate(p.toHandle(), Duration.ofSeconds(5));
        throw new ServiceStartException("Kafka storage format timed out:\n" + tail());
      }
      if (p.exitValue() != 0) {
        throw new ServiceStartException(
            "Kafka storage format failed (exit " + p.exitValue() + "):\n" + tail());
      }
    } catch (IOException e) {
      throw new ServiceStartException("Kafka storage format could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceStartException("interrupted while formatting Kafka storage", e);
    }
  }

  private String tail() {
    return Processes.tail(logFile, 40);
  }
}
