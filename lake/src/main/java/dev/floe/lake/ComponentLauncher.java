package dev.floe.lake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.Exposure;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.child.ChildMain;
import dev.floe.infra.process.Processes;
import dev.floe.infra.process.SupervisedProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts each component of the lake as a child JVM behind the parent watchdog ({@link ChildMain},
 * which ends the child when the launcher is killed): its command line, its environment ({@link
 * ComponentEnvironment}), its log file {@code <dataDir>/logs/<component>.log}, its pid file {@code
 * <dataDir>/run/<component>.pid} and its readiness check. Each start first checks that the
 * component's port is free, naming the setting that moves it.
 */
final class ComponentLauncher {

  private final LakeSettings settings;
  private final Artifacts artifacts;

  ComponentLauncher(LakeSettings settings, Artifacts artifacts) {
    this.settings = settings;
    this.artifacts = artifacts;
  }

  /**
   * The Flink job on a local MiniCluster; ready once its REST API lists a running job. It resumes
   * from the newest retained checkpoint under the data directory.
   */
  SupervisedProcess flinkJob(EmbeddedStack stack, int parallelism, String restUrl) {
    Path flinkDir = settings.dataDir().resolve("flink");
    Path log4j = settings.dataDir().resolve("run").resolve("flink-log4j2.properties");
    copyResource("floe/lake/flink-log4j2.properties", log4j);
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.add("-Xmx" + settings.flinkHeap());
    cmd.addAll(artifacts.flinkJobJvmOptions());
    cmd.add("-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid());
    cmd.add("-Dlog4j2.configurationFile=" + log4j);
    cmd.add("-Dlog4j.configurationFile=" + log4j);
    cmd.add("-cp");
    cmd.add(artifacts.flinkJobClasspath());
    cmd.add(ChildMain.class.getName());
    cmd.add("dev.floe.job.FloeJobMain");
    // Flink settings (non floe.* arguments): the MiniCluster's REST endpoint on a known port, so
    // that readiness and the status view can ask it for the job and its checkpoints. Every port of
    // the job's JVM (REST, RPC, blob server, shuffle) binds loopback, whatever --listen says: Flink
    // has no authentication, and its REST API can stop the job. No jar upload, no cancel from the
    // web UI: the job is started by the launcher, never submitted.
    String loopback = Exposure.LOOPBACK;
    for (String[] kv :
        new String[][] {
          {"rest.bind-address", loopback},
          {"rest.address", loopback},
          {"jobmanager.bind-host", loopback},
          {"jobmanager.rpc.address", loopback},
          {"taskmanager.bind-host", loopback},
          {"taskmanager.host", loopback},
          {"web.submit.enable", "false"},
          {"web.cancel.enable", "false"},
          {"rest.bind-port", Integer.toString(settings.flinkRestPort())},
          {"rest.port", Integer.toString(settings.flinkRestPort())},
          {"io.tmp.dirs", flinkDir.resolve("tmp").toString()},
          // RocksDB (the dedup state) lives in managed memory, off the heap: heap + this is
          // the job's memory budget
          {"taskmanager.memory.managed.size", settings.flinkManagedMemory()}
        }) {
      cmd.add("--" + kv[0]);
      cmd.add(kv[1]);
    }
    Map<String, String> env =
        ComponentEnvironment.flinkJob(stack, Lake.checkpointDir(settings.dataDir()), parallelism);
    try {
      Files.createDirectories(flinkDir.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Processes.requireFree("The Flink job", settings.flinkRestPort(), LakeSettings.FLINK_REST_PORT);
    return SupervisedProcess.builder(Lake.FLINK_JOB)
        .displayName("The Flink job")
        .command(cmd)
        .env(env)
        .workDir(flinkDir)
        .logFile(logFile(Lake.FLINK_JOB))
        .pidFile(pidFile(Lake.FLINK_JOB))
        .readiness(() -> jobRunning(restUrl))
        .startTimeout(settings.startTimeout())
        .stopTimeout(Duration.ofSeconds(30))
        .start();
  }

  private static boolean jobRunning(String restUrl) throws IOException, InterruptedException {
    for (JsonNode job : JsonHttp.getJson(restUrl + "/jobs/overview").path("jobs")) {
      if ("RUNNING".equals(job.path("state").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Producer-service replica {@code index} (0-based). */
  SupervisedProcess producer(EmbeddedStack stack, int index) {
    String name = Lake.producerName(index);
    int port = settings.producerPorts().get(index);
    Processes.requireFree(name, port, LakeSettings.PRODUCER_PORT);
    return quarkus(
        name, "producer-service", port, ComponentEnvironment.producer(settings, stack, name, port));
  }

  SupervisedProcess queryService(EmbeddedStack stack) {
    Processes.requireFree("The query-service", settings.queryPort(), LakeSettings.QUERY_PORT);
    return quarkus(
        Lake.QUERY_SERVICE,
        "query-service",
        settings.queryPort(),
        ComponentEnvironment.queryService(settings, stack));
  }

  SupervisedProcess catalogService(EmbeddedStack stack, int port) {
    Processes.requireFree("The catalog-service", port, LakeSettings.CATALOG_PORT);
    return quarkus(
        Lake.CATALOG_SERVICE,
        Lake.CATALOG_SERVICE,
        port,
        ComponentEnvironment.catalogService(settings, stack, port));
  }

  SupervisedProcess console(
      EmbeddedStack stack,
      int port,
      List<String> producerUrls,
      String flinkRestUrl,
      String queryUrl) {
    Processes.requireFree("The console", port, LakeSettings.CONSOLE_PORT);
    return quarkus(
        Lake.CONSOLE,
        Lake.CONSOLE,
        port,
        ComponentEnvironment.console(settings, stack, port, producerUrls, flinkRestUrl, queryUrl));
  }

  /**
   * A Quarkus fast-jar behind the parent watchdog: its boot classes come from quarkus-run.jar's
   * manifest class path; ready once {@code /q/health/ready} answers 200.
   */
  private SupervisedProcess quarkus(String name, String module, int port, Map<String, String> env) {
    Path jar = artifacts.quarkusJar(module);
    List<String> cmd =
        List.of(
            javaExecutable(),
            "-Xmx" + settings.serviceHeap(),
            "-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid(),
            "-cp",
            Artifacts.infraJar() + File.pathSeparator + jar,
            ChildMain.class.getName(),
            "io.quarkus.bootstrap.runner.QuarkusEntryPoint");
    // the services are the lake's only doors to the network (--listen); each refuses to start
    // there without its token, as the settings already checked
    env.put(ComponentEnvironment.HTTP_HOST, settings.listenAddress());
    String base = "http://" + settings.localHost() + ":" + port;
    return SupervisedProcess.builder(name)
        .command(cmd)
        .env(env)
        .workDir(settings.dataDir().resolve("services").resolve(name))
        .logFile(logFile(name))
        .pidFile(pidFile(name))
        .readiness(() -> JsonHttp.status(base + "/q/health/ready") == 200)
        .startTimeout(settings.startTimeout())
        .stopTimeout(Duration.ofSeconds(20))
        .start();
  }

  private Path logFile(String component) {
    return settings.dataDir().resolve("logs").resolve(component + ".log");
  }

  private Path pidFile(String component) {
    return settings.dataDir().resolve("run").resolve(component + ".pid");
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void copyResource(String resource, Path target) {
    try (InputStream in = ComponentLauncher.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " missing from floe-lake");
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
