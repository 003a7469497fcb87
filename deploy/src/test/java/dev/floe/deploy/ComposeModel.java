package dev.floe.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker compose project as compose sees it: one or more files merged in order (an override file
 * adds to and replaces keys of the files before it), with {@code ${VAR:-default}} interpolation
 * resolved to the default, the way it runs when the user sets nothing.
 */
final class ComposeModel {

  /** Marker for a variable the user must set ({@code ${VAR:?message}} or {@code ${VAR}}). */
  static final String REQUIRED = "<required=";

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  final Path root;
  final List<Path> files;
  final Map<String, Map<String, Object>> services = new LinkedHashMap<>();
  final Map<String, Object> volumes = new LinkedHashMap<>();

  private ComposeModel(Path root, List<Path> files) {
    this.root = root;
    this.files = files;
  }

  static ComposeModel load(Path root, String... fileNames) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String name : fileNames) {
      files.add(root.resolve(name));
    }
    ComposeModel model = new ComposeModel(root, files);
    for (Path file : files) {
      model.merge(read(file));
    }
    return model;
  }

  /**
   * A compose file as written, variables not interpolated.
   *
   * @param file the file
   * @return its top-level map
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> readRaw(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      return (Map<String, Object>) interpolate(doc);
    }
  }

  @SuppressWarnings("unchecked")
  private void merge(Map<String, Object> doc) {
    Map<String, Object> fileServices = (Map<String, Object>) doc.getOrDefault("services", Map.of());
    fileServices.forEach(
        (name, definition) -> {
          Map<String, Object> target = services.computeIfAbsent(name, n -> new LinkedHashMap<>());
          ((Map<String, Object>) definition).forEach((key, value) -> mergeKey(target, key, value));
        });
    Object fileVolumes = doc.get("volumes");
    if (fileVolumes instanceof Map<?, ?> map) {
      map.forEach((k, v) -> volumes.put((String) k, v));
    }
  }

  /** Compose's merge rules for the keys this project uses. */
  @SuppressWarnings("unchecked")
  private static void mergeKey(Map<String, Object> target, String key, Object value) {
    Object existing = target.get(key);
    switch (key) {
      case "environment", "depends_on" -> {
        Map<String, Object> merged = new LinkedHashMap<>();
        if (existing != null) {
          merged.putAll(asMap(existing));
        }
        merged.putAll(asMap(value));
        target.put(key, merged);
      }
      case "volumes", "ports" -> {
        // entries with the same container path replace the earlier one
        Map<String, Object> byTarget = new LinkedHashMap<>();
        for (Object entry : (List<Object>) (existing == null ? List.of() : existing)) {
          byTarget.put(Mount.parse(entry).target(), entry);
        }
        for (Object entry : (List<Object>) value) {
          byTarget.put(Mount.parse(entry).target(), entry);
        }
        target.put(key, new ArrayList<>(byTarget.values()));
      }
      default -> target.put(key, value);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    // list forms: environment ["K=V"], depends_on [service]
    Map<String, Object> result = new LinkedHashMap<>();
    for (Object item : (List<Object>) value) {
      String s = String.valueOf(item);
      int eq = s.indexOf('=');
      if (eq >= 0) {
        result.put(s.substring(0, eq), s.substring(eq + 1));
      } else {
        result.put(s, null);
      }
    }
    return result;
  }

  Map<String, Object> service(String name) {
    Map<String, Object> service = services.get(name);
    if (service == null) {
      throw new AssertionError("no service " + name + " in " + files);
    }
    return service;
  }

  Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service(service).get("environment");
    if (raw != null) {
      asMap(raw).forEach((k, v) -> env.put(k, v == null ? null : String.valueOf(v)));
    }
    return env;
  }

  List<Mount> mounts(String service) {
    List<Mount> mounts = new ArrayList<>();
    Object raw = service(service).get("volumes");
    if (raw instanceof List<?> list) {
      for (Object entry : list) {
        mounts.add(Mount.parse(entry));
      }
    }
    return mounts;
  }

  Optional<Mount> mountAt(String service, String target) {
    return mounts(service).stream().filter(m -> m.target().equals(target)).findFirst();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> dependsOn(String service) {
    Object raw = service(service).get("depends_on");
    return raw == null ? Map.of() : (Map<String, Object>) raw;
  }

  /** Resolves compose interpolation in every string of a parsed document. */
  @SuppressWarnings("unchecked")
  static Object interpolate(Object node) {
    if (node instanceof String s) {
      return interpolate(s);
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), interpolate(v)));
      return result;
    }
    if (node instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      list.forEach(v -> result.add(interpolate(v)));
      return result;
    }
    return node;
  }

  static String interpolate(String value) {
    String escaped = value.replace("$$", "\u0000");
    Matcher m = VARIABLE.matcher(escaped);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String op = m.group(2);
      String arg = m.group(3);
      String replacement;
      if (op != null && op.endsWith("-")) {
        replacement = arg;
      } else {
        replacement = REQUIRED + name + ">";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString().replace("\u0000", "$");
  }

  /** A volume entry: a bind mount of a host path or a named volume. */
  record Mount(String source, String target, boolean bind) {

    @SuppressWarnings("unchecked")
    static Mount parse(Object entry) {
      if (entry instanceof Map<?, ?> raw) {
        Map<String, Object> map = (Map<String, Object>) raw;
        String source = String.valueOf(map.get("source"));
        String target = String.valueOf(map.get("target"));
        return new Mount(source, target, "bind".equals(map.get("type")));
      }
      String s = String.valueOf(entry);
      String[] parts = s.split(":");
      if (parts.length == 1) {
        return new Mount(null, parts[0], false);
      }
      String source = parts[0];
      boolean bind =
          source.startsWith(".") || source.startsWith("/") || source.startsWith(REQUIRED);
      return new Mount(source, parts[1], bind);
    }
  }
}
