package dev.floe.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the JDK 24+ that runs Trino 476: {@code TRINO_JAVA_HOME} if set (it must be 24+), then
 * {@code JAVA_HOME} if it is 24+, then JDKs installed next to the running one (the other folders of
 * the running JVM's parent folder), newest first.
 */
public final class JdkLocator {

  /** Trino 476's minimum Java feature version. */
  public static final int TRINO_MIN_JAVA = 24;

  private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

  private JdkLocator() {}

  /**
   * The Java launcher for Trino.
   *
   * @param configured the TRINO_JAVA_HOME setting, if any
   * @param env the environment (for JAVA_HOME)
   * @param currentJavaHome the running JVM's java.home
   * @return the path of {@code bin/java}
   * @throws IllegalStateException naming TRINO_JAVA_HOME when no suitable JDK is found
   */
  public static Path trinoJava(
      Optional<Path> configured, Map<String, String> env, Path currentJavaHome) {
    if (configured.isPresent()) {
      Path home = configured.get();
      OptionalInt v = featureVersion(home);
      if (v.isEmpty() || v.getAsInt() < TRINO_MIN_JAVA) {
        throw new IllegalStateException(
            "TRINO_JAVA_HOME="
                + home
                + " is not a JDK "
                + TRINO_MIN_JAVA
                + "+ (found "
                + (v.isPresent() ? "Java " + v.getAsInt() : "no JDK")
                + "). Trino 476 needs Java "
                + TRINO_MIN_JAVA
                + " or newer.");
      }
      return java(home);
    }
    List<Path> searched = new ArrayList<>();
    String javaHome = env.get("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      Path home = Path.of(javaHome);
      searched.add(home);
      if (featureVersion(home).orElse(0) >= TRINO_MIN_JAVA) {
        return java(home);
      }
    }
    Path parent = currentJavaHome.toAbsolutePath().getParent();
    if (parent != null && Files.isDirectory(parent)) {
      try (Stream<Path> siblings = Files.list(parent)) {
        List<Path> candidates =
            siblings
                .filter(Files::isDirectory)
                .filter(p -> !Files.isSymbolicLink(p))
                .peek(searched::add)
                .filter(p -> featureVersion(p).orElse(0) >= TRINO_MIN_JAVA)
                .sorted(Comparator.comparingInt((Path p) -> featureVersion(p).orElse(0)).reversed())
                .toList();
        if (!candidates.isEmpty()) {
          return java(candidates.get(0));
        }
      } catch (IOException e) {
        // fall through to the error below
      }
    }
    throw new IllegalStateException(
        "Trino 476 needs a JDK "
            + TRINO_MIN_JAVA
            + "+ and none was found. Set TRINO_JAVA_HOME to the home folder of a JDK "
            + TRINO_MIN_JAVA
            + " or newer. Searched: JAVA_HOME and "
            + searched);
  }

  /**
   * The feature version (e.g. 25) of a JDK home, read from its {@code release} file.
   *
   * @param home a Java home
   * @return the version, or empty if the folder is not a JDK with a launcher
   */
  public static OptionalInt featureVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(java(home))) {
      return OptionalInt.empty();
    }
    try {
      Matcher m = VERSION.matcher(Files.readString(release));
      if (m.find()) {
        int v = Integer.parseInt(m.group(1));
        // Java 8 and older report "1.x"; they are never candidates anyway.
        return OptionalInt.of(v);
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
    return OptionalInt.empty();
  }

  private static Path java(Path home) {
    return home.resolve("bin").resolve("java");
  }
}
