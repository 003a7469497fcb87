package dev.floe.contract;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository's documentation is, for the tests that hold it to the code: the settings
 * tables ({@link SettingsDocs}), the links, the README's walkthrough. Found upwards from the
 * working directory, so a test finds it from any module.
 */
public final class RepositoryDocs {

  private RepositoryDocs() {}

  /**
   * The repository's root: the first directory upwards holding both {@code README.md} and {@code
   * mvnw}.
   *
   * @return the root
   */
  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md"))
          && Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no README.md beside mvnw above " + Path.of("").toAbsolutePath());
  }

  /**
   * The README.
   *
   * @return its path
   */
  public static Path readme() {
    return root().resolve("README.md");
  }

  /**
   * The page that holds every component's settings tables.
   *
   * @return {@code docs/configuration.md}
   */
  public static Path configuration() {
    return root().resolve("docs").resolve("configuration.md");
  }
}
