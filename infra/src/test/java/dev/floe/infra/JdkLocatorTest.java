package dev.floe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkLocatorTest {

  @TempDir Path jvms;

  private Path jdk(String name, String version) throws Exception {
    Path home = jvms.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Path java = Files.createFile(home.resolve("bin/java"));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void trinoJavaHomeWins() throws Exception {
    Path jdk25 = jdk("jdk-25", "25.0.1");
    Path current = jdk("jdk-17", "17.0.15");
    assertThat(JdkLocator.trinoJava(Optional.of(jdk25), Map.of(), current))
        .isEqualTo(jdk25.resolve("bin/java"));
  }

  @Test
  void aTooOldTrinoJavaHomeIsRejectedByName() throws Exception {
    Path jdk17 = jdk("jdk-17", "17.0.15");
    assertThatThrownBy(() -> JdkLocator.trinoJava(Optional.of(jdk17), Map.of(), jdk17))
        .hasMessageContaining("TRINO_JAVA_HOME")
        .hasMessageContaining("Java 17");
  }

  @Test
  void javaHomeIsUsedWhenNewEnough() throws Exception {
    Path jdk24 = jdk("jdk-24", "24");
    Path current = jdk("jdk-17", "17.0.15");
    assertThat(
            JdkLocator.trinoJava(Optional.empty(), Map.of("JAVA_HOME", jdk24.toString()), current))
        .isEqualTo(jdk24.resolve("bin/java"));
  }

  @Test
  void theNewestSiblingOfTheRunningJdkIsFound() throws Exception {
    Path current = jdk("jdk-17", "17.0.15");
    jdk("jdk-24", "24.0.2");
    Path jdk25 = jdk("temurin-25", "25.0.1");
    assertThat(
            JdkLocator.trinoJava(
                Optional.empty(), Map.of("JAVA_HOME", current.toString()), current))
        .isEqualTo(jdk25.resolve("bin/java"));
  }

  @Test
  void noSuitableJdkGivesAnErrorNamingTrinoJavaHome() throws Exception {
    Path current = jdk("jdk-17", "17.0.15");
    assertThatThrownBy(() -> JdkLocator.trinoJava(Optional.empty(), Map.of(), current))
        .hasMessageContaining("TRINO_JAVA_HOME");
  }
}
