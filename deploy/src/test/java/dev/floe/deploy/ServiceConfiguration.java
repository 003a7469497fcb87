package dev.floe.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables a service reads, derived from that service's own configuration sources
 * in the repository, so that a variable compose sets but nobody reads is caught.
 */
final class ServiceConfiguration {

  private static final Pattern CONFIG_MAPPING =
      Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern FLINK_OPTION_KEY =
      Pattern.compile("ConfigOptions\\s*\\.\\s*key\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");
  private static final Pattern TRINO_ENV = Pattern.compile("\\$\\{ENV:([A-Za-z0-9_]+)}");
  private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern METHOD =
      Pattern.compile("(?s).*?([A-Za-z0-9_.]+)(<.*>)?\\s+(\\w+)\\s*\\(\\s*\\)\\s*$");

  private ServiceConfiguration() {}

  /**
   * Quarkus: every key of application.properties and of the module's {@code @ConfigMapping}
   * interfaces, under the standard environment mapping (non-alphanumerics to '_', upper case).
   */
  static Set<String> quarkusVariables(Path module) throws IOException {
    Set<String> keys = new TreeSet<>();
    Path properties = module.resolve("src/main/resources/application.properties");
    if (Files.exists(properties)) {
      for (String key : load(properties).stringPropertyNames()) {
        keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
      }
    }
    try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(source);
        Matcher m = CONFIG_MAPPING.matcher(text);
        if (m.find()) {
          keys.addAll(mappingKeys(m.group(1), stripLiterals(text.substring(m.end()))));
        }
      }
    }
    Set<String> variables = new TreeSet<>();
    keys.forEach(k -> variables.add(quarkusEnvironmentName(k)));
    return variables;
  }

  static String quarkusEnvironmentName(String key) {
    return key.replace("\"", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /**
   * Keys of a {@code @ConfigMapping} interface: each abstract no-argument method is a key (kebab
   * case); a method returning a nested interface of the same file is a group.
   */
  static List<String> mappingKeys(String prefix, String afterAnnotation) {
    int open = afterAnnotation.indexOf('{');
    String body = afterAnnotation.substring(open + 1, matchingBrace(afterAnnotation, open));
    Map<String, String> nested = new LinkedHashMap<>();
    StringBuilder members = new StringBuilder();
    Matcher header = Pattern.compile("interface\\s+(\\w+)[^{;]*$").matcher("");
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '{') {
        int close = matchingBrace(body, i);
        header.reset(members);
        if (header.find()) {
          nested.put(header.group(1), body.substring(i + 1, close));
        }
        members.append(';');
        i = close + 1;
      } else {
        members.append(c);
        i++;
      }
    }
    List<String> keys = new ArrayList<>();
    for (String member : members.toString().split(";")) {
      String declaration = member.replaceAll("@\\w+(\\s*\\([^)]*\\))?", " ").trim();
      if (declaration.contains("=")
          || declaration.matches("(?s).*\\b(default|static|interface)\\b.*")) {
        continue;
      }
      Matcher m = METHOD.matcher(declaration);
      if (!m.matches()) {
        continue;
      }
      String type = m.group(1);
      String key = prefix + "." + kebab(m.group(3));
      if (nested.containsKey(type)) {
        keys.addAll(mappingKeys(key, "{" + nested.get(type) + "}"));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  /** Flink job: the keys of the ConfigOption constants in JobOptions, as FLOE_... variables. */
  static Set<String> flinkJobVariables(Path jobOptionsSource) throws IOException {
    Set<String> variables = new TreeSet<>();
    Matcher m = FLINK_OPTION_KEY.matcher(Files.readString(jobOptionsSource));
    while (m.find()) {
      // JobOptions.environmentVariable: upper case, dots and dashes to underscores
      variables.add(m.group(1).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return variables;
  }

  /** Trino: the ${ENV:NAME} placeholders of the files mounted into the container. */
  static Set<String> trinoVariables(List<Path> mountedFiles) throws IOException {
    Set<String> variables = new TreeSet<>();
    for (Path path : mountedFiles) {
      List<Path> files;
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          files = walk.filter(Files::isRegularFile).toList();
        }
      } else {
        files = List.of(path);
      }
      for (Path file : files) {
        Matcher m = TRINO_ENV.matcher(Files.readString(file));
        while (m.find()) {
          variables.add(m.group(1));
        }
      }
    }
    return variables;
  }

  /** A shell script: the variables it expands. */
  static Set<String> shellVariables(Path script) throws IOException {
    Set<String> variables = new TreeSet<>();
    Matcher m = SHELL_VARIABLE.matcher(Files.readString(script));
    while (m.find()) {
      variables.add(m.group(1));
    }
    return variables;
  }

  static Properties load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static int matchingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced braces");
  }

  /** Comments, string and char literals removed, so braces inside them do not count. */
  static String stripLiterals(String java) {
    StringBuilder out = new StringBuilder(java.length());
    int i = 0;
    while (i < java.length()) {
      char c = java.charAt(i);
      if (java.startsWith("//", i)) {
        int end = java.indexOf('\n', i);
        i = end < 0 ? java.length() : end;
      } else if (java.startsWith("/*", i)) {
        int end = java.indexOf("*/", i + 2);
        i = end < 0 ? java.length() : end + 2;
        out.append(' ');
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < java.length() && java.charAt(j) != c) {
          j += java.charAt(j) == '\\' ? 2 : 1;
        }
        out.append(c).append(c);
        i = j + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
