package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every module's settings test checks, after Trino's {@code assertRecordedDefaults} and {@code
 * assertFullMapping}: each option the code knows has its default pinned by the test, and its key
 * (or environment variable) in a settings table of {@code docs/configuration.md}.
 *
 * <p>Used by each module's settings test (contract's test-jar), so the check is written once.
 */
public final class SettingsDocs {

  /** What a test writes for an option without a default. */
  public static final String NO_DEFAULT = "<none>";

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private SettingsDocs() {}

  /**
   * Every name in backticks in the cells of the table rows of {@code docs/configuration.md}: the
   * keys and environment variables of its settings tables.
   */
  public static Set<String> documentedNames() {
    Set<String> out = new LinkedHashSet<>();
    try {
      for (String line : Files.readAllLines(RepositoryDocs.configuration())) {
        if (!line.startsWith("| ") || line.startsWith("| ---")) {
          continue;
        }
        String[] cells = line.split("\\|");
        for (int i = 1; i < cells.length; i++) {
          Matcher m = CODE.matcher(cells[i]);
          while (m.find()) {
            out.add(m.group(1).trim());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Fails naming every key that no settings table of {@code docs/configuration.md} lists.
   *
   * @param keys the keys (or environment variables) of a module's options
   */
  public static void assertDocumented(Collection<String> keys) {
    Set<String> documented = documentedNames();
    assertThat(keys)
        .as("options missing from the settings tables of %s", RepositoryDocs.configuration())
        .allMatch(documented::contains, "listed in docs/configuration.md");
  }

  /**
   * Fails when the options found in the code and the defaults the test pins differ: an option
   * without a pinned default, a pinned one the code no longer has, or a changed default.
   *
   * @param actual option to default, as found in the code
   * @param pinned option to default, as written in the test
   */
  public static void assertDefaultsPinned(Map<String, String> actual, Map<String, String> pinned) {
    assertThat(new TreeMap<>(actual))
        .as("defaults found in the code vs. pinned by the test")
        .isEqualTo(new TreeMap<>(pinned));
  }

  /**
   * The options of a SmallRye {@code @ConfigMapping} interface, key to default: method names in
   * kebab case under the prefix, nested groups followed, {@code @WithDefault} values (found by
   * name, so this class needs no SmallRye dependency) or {@link #NO_DEFAULT}.
   *
   * @param prefix the mapping's prefix, e.g. {@code floe.producer}
   * @param mapping the interface
   * @return key to default
   */
  public static Map<String, String> configMapping(String prefix, Class<?> mapping) {
    Map<String, String> out = new TreeMap<>();
    for (Method m : mapping.getDeclaredMethods()) {
      if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      String key = prefix + "." + kebab(m.getName());
      Class<?> type = m.getReturnType();
      if (type.isInterface() && type.getEnclosingClass() == mapping) {
        out.putAll(configMapping(key, type));
        continue;
      }
      out.put(key, withDefault(m));
    }
    return out;
  }

  /**
   * Both checks for a SmallRye {@code @ConfigMapping}: every option's default pinned, and its
   * environment variable in the settings tables of {@code docs/configuration.md}.
   *
   * @param prefix the mapping's prefix
   * @param mapping the interface
   * @param pinned key to default, as written in the test
   */
  public static void assertConfigMapping(
      String prefix, Class<?> mapping, Map<String, String> pinned) {
    Map<String, String> actual = configMapping(prefix, mapping);
    assertDefaultsPinned(actual, pinned);
    assertDocumented(actual.keySet().stream().map(SettingsDocs::environmentVariable).toList());
  }

  private static String withDefault(Method m) {
    for (var a : m.getAnnotations()) {
      if (a.annotationType().getSimpleName().equals("WithDefault")) {
        try {
          return (String) a.annotationType().getMethod("value").invoke(a);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return NO_DEFAULT;
  }

  /** {@code ackTimeout} to {@code ack-timeout}. */
  public static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** {@code floe.producer.ack-timeout} to {@code FLOE_PRODUCER_ACK_TIMEOUT}. */
  public static String environmentVariable(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * A map that records every key read from it, to walk the options a settings class reads from the
   * environment: pass it to {@code fromEnvironment} and read {@link #keys()}.
   */
  public static final class RecordingEnvironment extends AbstractMap<String, String> {
    private final Set<String> keys = new LinkedHashSet<>();

    @Override
    public String get(Object key) {
      keys.add((String) key);
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      keys.add((String) key);
      return false;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return Set.of();
    }

    /** The keys read so far, in order. */
    public List<String> keys() {
      return List.copyOf(keys);
    }
  }
}
