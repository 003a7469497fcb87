package dev.floe.lake;

import dev.floe.infra.child.ChildMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The build outputs a lake runs, found under the project root ({@code FLOE_HOME}): the Flink job's
 * classes with its full runtime classpath (Flink included, written by its build into {@code
 * flink-job/target/classpath.txt}) and the Quarkus fast-jars (producer-service, query-service,
 * console).
 */
public final class Artifacts {

  /** The command that builds whatever is missing. */
  public static final String BUILD_COMMAND = "./mvnw -B -q -DskipTests install";

  private final Path home;

  /**
   * Artifacts of a project root.
   *
   * @param home the project root
   */
  public Artifacts(Path home) {
    this.home = home;
  }

  /**
   * Fails with one message listing every missing output and the command that builds them.
   *
   * @throws IllegalStateException when something is missing
   */
  public void requireBuilt() {
    List<String> missing = new ArrayList<>();
    for (Path p :
        List.of(
            flinkJobClasses(),
            flinkJobClasspathFile(),
            quarkusJar("producer-service"),
            quarkusJar("query-service"),
            quarkusJar("catalog-service"),
            quarkusJar("console"))) {
      if (!Files.exists(p)) {
        missing.add(home.relativize(p).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "not built yet: "
              + String.join(", ", missing)
              + ". Build them from "
              + home
              + " with: "
              + BUILD_COMMAND);
    }
  }

  Path flinkJobClasses() {
    return home.resolve("flink-job/target/classes");
  }

  Path flinkJobClasspathFile() {
    return home.resolve("flink-job/target/classpath.txt");
  }

  /**
   * The JVM options the Flink job needs on Java 17 ({@code --add-opens ...}), from its build.
   *
   * @return the options, empty when the build wrote none
   */
  List<String> flinkJobJvmOptions() {
    Path file = home.resolve("flink-job/target/jvm-options.txt");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return Arrays.stream(read(file).trim().split("\\s+")).filter(s -> !s.isBlank()).toList();
  }

  /**
   * Classpath of the Flink job's JVM: its classes, its dependencies and Flink, plus floe-infra for
   * the parent watchdog ({@link ChildMain}; JDK only, clashes with nothing).
   *
   * @return the class path
   */
  String flinkJobClasspath() {
    return flinkJobClasses()
        + File.pathSeparator
        + read(flinkJobClasspathFile()).trim()
        + File.pathSeparator
        + infraJar();
  }

  /**
   * The fast-jar of a Quarkus module.
   *
   * @param module e.g. "producer-service"
   * @return {@code <home>/<module>/target/quarkus-app/quarkus-run.jar}
   */
  Path quarkusJar(String module) {
    return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /** The floe-infra jar (or classes directory) this launcher runs with. */
  static String infraJar() {
    try {
      return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate floe-infra", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
