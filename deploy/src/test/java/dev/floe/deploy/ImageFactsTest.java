package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.deploy.ComposeModel.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviours of the upstream images and of Flink that the compose setup relies on, each with the
 * upstream reason, so that a defect found by reading them cannot come back (there is no Docker
 * engine to try them on the build machines).
 */
class ImageFactsTest {

  private static final Path ROOT = Path.of(System.getProperty("floe.root", "..")).toAbsolutePath();

  /**
   * trinodb/trino runs as {@code trino}, uid/gid 1000 ({@code core/docker/Dockerfile}: {@code
   * useradd trino --uid 1000 --gid 1000}).
   */
  private static final String TRINO_UID = "1000";

  private static final List<String> TRINO = List.of("trino-coordinator", "trino-worker");
  private static final List<String> FLINK = List.of("flink-jobmanager", "flink-taskmanager");

  /** The three compose variants, as {@link ComposeFilesTest} checks them. */
  private static final String VARIANTS = "dev.floe.deploy.ComposeFilesTest#variants";

  private static ComposeModel load(List<String> files) throws IOException {
    return ComposeModel.load(ROOT, files.toArray(String[]::new));
  }

  /**
   * Flink lists {@code gs} among the schemes served only by its flink-gs-fs-hadoop plugin and
   * refuses the Hadoop fallback for it unless {@code fs.allowed-fallback-filesystems} names it
   * ({@code FileSystem.DIRECTLY_SUPPORTED_FILESYSTEM} in flink-core). The job sets the key for
   * itself; every jobmanager and taskmanager needs it in its cluster configuration too.
   */
  @ParameterizedTest
  @MethodSource(VARIANTS)
  void everyFlinkProcessAllowsTheHadoopFallbackForGs(List<String> files) throws IOException {
    ComposeModel compose = load(files);
    for (String name : FLINK) {
      String properties = compose.environment(name).get("FLINK_PROPERTIES");
      assertThat(properties).as(name).isNotNull();
      assertThat(properties.lines().map(String::trim))
          .as("%s: FLINK_PROPERTIES", name)
          .contains("fs.allowed-fallback-filesystems: gs");
    }
  }

  /**
   * The job's tasks run in the taskmanagers: they get the JVM tuning the job is measured and run
   * with everywhere else ({@code floe.jvm.tuning} in flink-job/pom.xml, which the lake and the
   * benchmark read). Flink appends {@code env.java.opts.taskmanager} to the taskmanager's JVM.
   */
  @ParameterizedTest
  @MethodSource(VARIANTS)
  void taskmanagersRunWithTheJobsJvmTuning(List<String> files) throws IOException {
    Matcher property =
        Pattern.compile("<floe.jvm.tuning>([^<]+)</floe.jvm.tuning>")
            .matcher(Files.readString(ROOT.resolve("flink-job/pom.xml")));
    assertThat(property.find()).as("flink-job/pom.xml defines floe.jvm.tuning").isTrue();
    String properties = load(files).environment("flink-taskmanager").get("FLINK_PROPERTIES");
    assertThat(properties.lines().map(String::trim))
        .contains("env.java.opts.taskmanager: " + property.group(1).trim());
  }

  /**
   * Trino writes table metadata and data files when the admin catalog asks (ALTER TABLE, optimize):
   * it mounts the lake read-write, runs as the image's uid, and the Flink image's user has that uid
   * too, so each can write into the directories the other made.
   */
  @Test
  void trinoAndFlinkWriteTheLakeAsOneUser() throws IOException {
    ComposeModel compose = load(List.of("docker-compose.yml"));
    for (String name : TRINO) {
      assertThat(compose.service(name))
          .as("%s runs as the image's user", name)
          .doesNotContainKey("user");
      Mount lake = compose.mountAt(name, "/floe").orElseThrow();
      assertThat(lake.source()).isEqualTo("floe-data");
      assertThat(mountEntry(compose, name, "/floe"))
          .as("%s mounts the lake read-write", name)
          .doesNotEndWith(":ro");
    }
    for (String name : FLINK) {
      assertThat(compose.service(name))
          .as("%s runs as the image's user", name)
          .doesNotContainKey("user");
    }
    String dockerfile = Files.readString(ROOT.resolve("deploy/flink/Dockerfile"));
    assertThat(dockerfile)
        .contains("groupmod -o -g " + TRINO_UID + " flink")
        .contains("usermod -o -u " + TRINO_UID + " -g " + TRINO_UID + " flink")
        .containsPattern("(?m)^USER flink$");
    // the user switch must come after the uid change
    assertThat(dockerfile.lastIndexOf("USER flink")).isGreaterThan(dockerfile.indexOf("usermod"));
  }

  private static String mountEntry(ComposeModel compose, String service, String target) {
    Object raw = compose.service(service).get("volumes");
    for (Object entry : (List<?>) raw) {
      if (Mount.parse(entry).target().equals(target)) {
        return String.valueOf(entry);
      }
    }
    throw new AssertionError(service + " mounts nothing at " + target);
  }

  /**
   * The image's run-trino adds {@code -Dnode.id=$HOSTNAME} only when {@code grep -s -q 'node.id'
   * /etc/trino/node.properties} finds nothing: a regular expression over the whole file, comments
   * included. A worker whose file matches gets a new random id at every restart.
   */
  @ParameterizedTest
  @MethodSource(VARIANTS)
  void workersTakeTheirNodeIdFromTheHostName(List<String> files) throws IOException {
    ComposeModel compose = load(files);
    Pattern runTrinoGrep = Pattern.compile("node.id");
    String worker = nodeProperties(compose, "trino-worker");
    assertThat(runTrinoGrep.matcher(worker).find())
        .as("infra/trino/worker/node.properties matches run-trino's grep 'node.id'")
        .isFalse();
    String coordinator = nodeProperties(compose, "trino-coordinator");
    assertThat(coordinator).containsPattern("(?m)^node\\.id=");
  }

  private static String nodeProperties(ComposeModel compose, String service) throws IOException {
    Mount mount = compose.mountAt(service, "/etc/trino/node.properties").orElseThrow();
    return Files.readString(ROOT.resolve(mount.source()));
  }

  /**
   * The postgres image initialises the database with a temporary server that listens on the Unix
   * socket only ({@code docker-entrypoint.sh}: {@code listen_addresses=''}); {@code pg_isready}
   * without {@code -h} asks that socket and reports ready before the real server listens on TCP.
   */
  @Test
  void postgresIsHealthyOnlyWhenItListensOnTcp() throws IOException {
    ComposeModel compose = load(List.of("docker-compose.yml"));
    String test =
        String.valueOf(
            ComposeModel.asMap(compose.service("postgres").get("healthcheck")).get("test"));
    assertThat(test).contains("pg_isready").containsPattern("-h (127\\.0\\.0\\.1|localhost)\\b");
  }

  /**
   * Bash builtins and keywords: all the Trino start script may run besides the image's launcher.
   */
  private static final Set<String> BASH =
      Set.of(
          "set", "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until",
          "case", "esac", "[[", "]]", "{", "}", "!", "local", "read", "printf", "echo", "exit",
          "return", "exec", "shift", "declare", "export", "unset", "true", "false", ":", "test",
          "[");

  /**
   * The trinodb/trino image is a minimal one: bash and its own launcher are promised, tools such as
   * sed, cat, cp or mkdir are not. The start script runs builtins only, and its scratch catalog
   * directory is a tmpfs compose mounts (so nothing has to create or empty it).
   */
  @ParameterizedTest
  @MethodSource(VARIANTS)
  void theTrinoStartScriptNeedsNothingButBash(List<String> files) throws IOException {
    Path script = ROOT.resolve("deploy/trino/start-trino.sh");
    List<String> lines = Files.readAllLines(script);
    Set<String> functions = new TreeSet<>();
    Pattern function = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\(\\)\\s*\\{");
    for (String line : lines) {
      var m = function.matcher(line);
      if (m.find()) {
        functions.add(m.group(1));
      }
    }
    String text = Files.readString(script);
    // the one program besides bash: the image's own launcher, which the script hands over to
    Matcher launcher = Pattern.compile("(?m)^exec (\\S*/run-trino)$").matcher(text);
    assertThat(launcher.find())
        .as("start-trino.sh ends by exec'ing the image's run-trino")
        .isTrue();
    List<String> commands = commandWords(lines);
    assertThat(commands).contains("exec", "printf", "read");
    for (String word : commands) {
      assertThat(BASH.contains(word) || functions.contains(word) || word.equals(launcher.group(1)))
          .as("start-trino.sh runs %s, which the Trino image may lack", word)
          .isTrue();
    }

    // the scratch directory: the service's FLOE_TRINO_CATALOG_DIR, else the script's default
    Matcher fallback = Pattern.compile("\\$\\{FLOE_TRINO_CATALOG_DIR:-([^}]+)}").matcher(text);
    assertThat(fallback.find()).as("start-trino.sh has a default scratch directory").isTrue();
    ComposeModel compose = load(files);
    for (String name : TRINO) {
      Mount mounted =
          compose.mounts(name).stream()
              .filter(m -> "./deploy/trino/start-trino.sh".equals(m.source()))
              .findFirst()
              .orElseThrow();
      assertThat(String.valueOf(compose.service(name).get("entrypoint")))
          .as("%s runs the mounted start script", name)
          .contains(mounted.target());
      String catalogDir =
          compose.environment(name).getOrDefault("FLOE_TRINO_CATALOG_DIR", fallback.group(1));
      assertThat(String.valueOf(compose.service(name).get("tmpfs")))
          .as("%s: tmpfs at the scratch catalog directory", name)
          .contains(catalogDir);
    }
  }

  /** Keywords followed by a command. */
  private static final Set<String> PREFIXES =
      Set.of("if", "elif", "while", "until", "then", "do", "else", "!", "{", "exec");

  /** The words in command position of a simple bash script (no here-documents, no case arms). */
  static List<String> commandWords(List<String> lines) {
    List<String> words = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      // split into commands at ; && || | and $( ... ), ignoring quoted text
      String unquoted =
          line.replaceAll("'[^']*'", "''")
              .replaceAll("\"[^\"]*\"", "\"\"")
              .replaceAll("\\[\\[.*?]]", "[[ ]]");
      for (String part : unquoted.split(";|&&|\\|\\||\\||\\$\\(")) {
        String[] tokens = part.strip().split("\\s+");
        int i = 0;
        // keywords that take a command after them
        while (i < tokens.length && PREFIXES.contains(tokens[i])) {
          if (tokens[i].equals("exec")) {
            words.add("exec");
          }
          i++;
        }
        // leading assignments (IFS= read ...)
        while (i < tokens.length && tokens[i].matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
          i++;
        }
        if (i < tokens.length && !tokens[i].isEmpty() && !tokens[i].startsWith(")")) {
          String word = tokens[i];
          if (word.startsWith("}")
              || word.startsWith("<")
              || word.startsWith(">")
              || word.matches("[A-Za-z_][A-Za-z0-9_]*\\(\\)")) {
            continue;
          }
          words.add(word);
        }
      }
    }
    return words;
  }

  /**
   * A service-account key made by {@code gcloud} is mode 0600 and belongs to the host user; the
   * containers' users cannot read it through a bind mount. The one-shot gcs-key copies it for uid
   * 1000 (Flink and Trino), and only it sees the host file.
   */
  @Test
  void theGcsKeyIsReadableByTheContainersThatNeedIt() throws IOException {
    ComposeModel compose = load(List.of("docker-compose.yml", "docker-compose.gcs.yml"));
    Map<String, Object> copy = compose.service("gcs-key");
    String command = String.valueOf(copy.get("command"));
    assertThat(command)
        .contains("cp /run/floe/host-key.json /etc/floe/gcs/credentials.json")
        .contains("chown " + TRINO_UID + ":" + TRINO_UID + " /etc/floe/gcs/credentials.json")
        .contains("chmod 0400 /etc/floe/gcs/credentials.json");
    assertThat(compose.mountAt("gcs-key", "/etc/floe/gcs")).map(Mount::source).contains("gcs-key");
    for (String name :
        List.of("flink-jobmanager", "flink-taskmanager", "trino-coordinator", "trino-worker")) {
      assertThat(compose.mountAt(name, "/etc/floe/gcs"))
          .as("%s reads the copied key", name)
          .map(Mount::source)
          .contains("gcs-key");
      assertThat(compose.dependsOn(name)).as(name).containsKey("gcs-key");
      assertThat(compose.mountAt(name, "/run/floe/host-key.json")).as(name).isEmpty();
    }
    assertThat(compose.environment("flink-jobmanager"))
        .containsEntry("FLOE_GCS_CREDENTIALS_FILE", "/etc/floe/gcs/credentials.json");
    assertThat(compose.environment("trino-coordinator"))
        .containsEntry("FLOE_GCS_CREDENTIALS_FILE", "/etc/floe/gcs/credentials.json");
  }

  /**
   * The broker has no credential, so it serves the compose network only: one listener for the
   * containers, none for the host, and no published port.
   */
  @Test
  void kafkaServesTheComposeNetworkOnly() throws IOException {
    ComposeModel compose = load(List.of("docker-compose.yml"));
    Map<String, String> env = compose.environment("kafka");
    assertThat(env.get("KAFKA_LISTENERS")).isEqualTo("PLAINTEXT://:9092,CONTROLLER://:9093");
    assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://kafka:9092");
    assertThat(compose.service("kafka")).doesNotContainKey("ports");
  }
}
