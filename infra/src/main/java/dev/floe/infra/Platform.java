package dev.floe.infra;

import dev.floe.infra.child.ChildMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Access to what the build packaged: configuration templates, the platform classpath, archives. */
final class Platform {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{ENV:([A-Za-z0-9_]+)}");

  private Platform() {}

  /** A packaged text resource under {@code floe/}, e.g. {@code kafka/server.properties}. */
  static String text(String resource) {
    String name = "floe/" + resource;
    try (InputStream in = Platform.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource "
                + name
                + " is missing from floe-infra; rebuild it: ./mvnw -pl infra install");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A packaged properties resource. */
  static Properties properties(String resource) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text(resource)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * Replaces every {@code ${ENV:NAME}} of a template, the same syntax Trino expands from its
   * environment, so one template serves the embedded stack and docker compose.
   */
  static String substitute(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("no value for placeholder ${ENV:" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Writes a file atomically, creating parent folders. */
  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Where floe-infra's own classes are (target/classes or the jar), for the child JVMs' classpath.
   */
  static Path ownCodeLocation() {
    return codeLocation(Platform.class);
  }

  /** The jar or classes directory a class was loaded from. */
  static Path codeLocation(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Classpath of the Kafka and PostgreSQL child JVMs: floe-infra plus the jars Maven resolved. */
  static String platformClasspath() {
    List<String> entries = new ArrayList<>();
    entries.add(ownCodeLocation().toString());
    for (String jar : text("platform.classpath").trim().split(java.io.File.pathSeparator)) {
      if (!Files.exists(Path.of(jar))) {
        throw new IllegalStateException(
            "platform jar "
                + jar
                + " is missing from the local Maven repository; rebuild floe-infra: ./mvnw -pl infra install");
      }
      entries.add(jar);
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /**
   * An archive (Trino server tarball or plugin zip) that Maven resolved into the local repository.
   */
  static Path archive(String pathResource) {
    Path p = Path.of(text(pathResource).trim());
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          p
              + " is missing from the local Maven repository; rebuild floe-infra: ./mvnw -pl infra install");
    }
    return p;
  }

  /** The java launcher of the running JVM (JDK 17+), used for the Kafka and PostgreSQL children. */
  static String currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Writes the child JVMs' log4j2 configuration into the data dir and returns its path. */
  static Path childLogConfig(Path runDir) {
    Path file = runDir.resolve("child-log4j2.properties");
    write(file, text("child-log4j2.properties"));
    return file;
  }

  /**
   * JVM options every child gets: the parent pid for the watchdog and a marker naming the
   * component.
   */
  static List<String> childJvmOptions(String component, Path dataDir) {
    return List.of(
        "-D" + ChildMain.PARENT_PID + "=" + ProcessHandle.current().pid(),
        "-Dfloe.component=" + component,
        "-Dfloe.data-dir=" + dataDir);
  }

  /**
   * The start of a platform child's command line: this JVM's java, the watchdog and marker options,
   * the given JVM options, the shared child log configuration and the platform classpath. The
   * caller appends the main class and its arguments.
   */
  static List<String> childJavaCommand(String component, Path dataDir, List<String> jvmOptions) {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(currentJava());
    cmd.addAll(childJvmOptions(component, dataDir));
    cmd.addAll(jvmOptions);
    cmd.add("-Dlog4j2.configurationFile=" + childLogConfig(dataDir.resolve("run")));
    cmd.add("-cp");
    cmd.add(platformClasspath());
    return cmd;
  }

  /** Deletes a marker file if present (readiness files of the child JVMs). */
  static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
