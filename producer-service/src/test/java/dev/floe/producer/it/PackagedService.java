package dev.floe.producer.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged fast-jar ({@code target/quarkus-app/quarkus-run.jar}) as a separate process,
 * configured through environment variables exactly as a deployment would be.
 */
public final class PackagedService implements AutoCloseable {
  private final Process process;
  private final Path log;
  public final int port;

  private PackagedService(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static Path jar() {
    Path jar =
        Path.of(System.getProperty("floe.test.producer-jar", "target/quarkus-app/quarkus-run.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run mvn package (or verify) first");
    }
    return jar;
  }

  /** Starts the jar with the given environment on a free port (unless QUARKUS_HTTP_PORT given). */
  public static PackagedService start(Map<String, String> env) throws IOException {
    int port =
        env.containsKey("QUARKUS_HTTP_PORT")
            ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT"))
            : freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    // next to the jar's quarkus-app directory, i.e. in the module's target/
    Path log =
        Files.createTempFile(jar().toAbsolutePath().getParent().getParent(), "producer-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    return new PackagedService(builder.start(), log, port);
  }

  /** Waits until the service reports ready; fails with its log if it exits or takes too long. */
  public PackagedService awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service exited: " + output());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      }
      process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("service not ready within " + timeout + ": " + output());
  }

  public Process process() {
    return process;
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws java.io.IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(log);
  }
}
