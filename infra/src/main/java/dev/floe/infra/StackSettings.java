package dev.floe.infra;

import dev.floe.infra.process.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of an {@link EmbeddedStack}: which services, their ports, the data and cache
 * directories, the JDK and heap of Trino. Built with {@link #builder()} (whose fields hold the
 * defaults), read from the environment with {@link #fromEnvironment()}, or made for tests with
 * {@link #forTests(Path)}. {@link Builder#build()} validates every value and names the offending
 * key in its message.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th></tr>
 *   <tr><td>FLOE_DATA_DIR</td><td>{@code <cwd>/.floe}</td></tr>
 *   <tr><td>FLOE_CACHE_DIR</td><td>{@code ~/.cache/floe}</td></tr>
 *   <tr><td>FLOE_KAFKA_PORT</td><td>9092</td></tr>
 *   <tr><td>FLOE_KAFKA_CONTROLLER_PORT</td><td>9093</td></tr>
 *   <tr><td>FLOE_POSTGRES_PORT</td><td>5433</td></tr>
 *   <tr><td>FLOE_TRINO_PORT</td><td>8088</td></tr>
 *   <tr><td>FLOE_TRINO_HEAP</td><td>2G</td></tr>
 *   <tr><td>TRINO_JAVA_HOME</td><td>(searched: JAVA_HOME, then JDKs next to the running one)</td></tr>
 *   <tr><td>FLOE_SERVICES</td><td>kafka,postgres,trino</td></tr>
 *   <tr><td>FLOE_CATALOG_PASSWORD</td><td>the local default of infra/catalog/catalog.properties</td></tr>
 * </table>
 *
 * @param dataDir root of all service data, logs and pid files (FLOE_DATA_DIR)
 * @param cacheDir where downloaded-once artifacts are unpacked: Trino server, PostgreSQL binaries
 *     (FLOE_CACHE_DIR)
 * @param kafkaPort Kafka client port (FLOE_KAFKA_PORT)
 * @param kafkaControllerPort Kafka controller port (FLOE_KAFKA_CONTROLLER_PORT)
 * @param postgresPort PostgreSQL port (FLOE_POSTGRES_PORT)
 * @param trinoPort Trino HTTP port (FLOE_TRINO_PORT)
 * @param trinoJavaHome the JDK 24+ that runs Trino (TRINO_JAVA_HOME); otherwise it is searched (see
 *     {@link JdkLocator})
 * @param trinoHeap Trino's maximum heap, JVM syntax (FLOE_TRINO_HEAP)
 * @param services the services to start ({@link Service#TRINO} implies {@link Service#POSTGRES})
 *     (FLOE_SERVICES)
 * @param catalogPassword the catalog database password, if overridden; otherwise the local default
 *     of catalog.properties (FLOE_CATALOG_PASSWORD)
 * @param startTimeout how long each service may take to become ready
 * @param trinoCatalogType how Trino's {@code iceberg} catalog reaches the lake: {@value
 *     #TRINO_CATALOG_JDBC} (the JDBC catalog in PostgreSQL) or {@value #TRINO_CATALOG_REST} (the
 *     catalog-service); the admin catalog always goes straight to the JDBC catalog, since writes
 *     through the REST API are closed (FLOE_TRINO_CATALOG_TYPE)
 * @param restCatalogUri the catalog-service's address, for trinoCatalogType rest
 *     (FLOE_TRINO_REST_CATALOG_URI)
 * @param restCatalogToken the catalog-service's API token, which Trino then sends
 *     (FLOE_CATALOG_API_TOKEN)
 */
public record StackSettings(
    Path dataDir,
    Path cacheDir,
    int kafkaPort,
    int kafkaControllerPort,
    int postgresPort,
    int trinoPort,
    Optional<Path> trinoJavaHome,
    String trinoHeap,
    Set<Service> services,
    Optional<String> catalogPassword,
    Duration startTimeout,
    String trinoCatalogType,
    String restCatalogUri,
    Optional<String> restCatalogToken) {

  /** Default Kafka client port. */
  public static final int DEFAULT_KAFKA_PORT = 9092;

  /** Default Kafka controller port. */
  public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;

  /** Default PostgreSQL port (not 5432, so a system PostgreSQL can keep running). */
  public static final int DEFAULT_POSTGRES_PORT = 5433;

  /** Default Trino HTTP port. */
  public static final int DEFAULT_TRINO_PORT = 8088;

  /** Default Trino maximum heap. */
  public static final String DEFAULT_TRINO_HEAP = "2G";

  /** Trino reads the lake straight from the JDBC catalog (the default). */
  public static final String TRINO_CATALOG_JDBC = "jdbc";

  /** Trino reads the lake through the catalog-service's Iceberg REST API. */
  public static final String TRINO_CATALOG_REST = "rest";

  /** The catalog-service's port by default (the convention of Iceberg REST catalogs). */
  public static final int DEFAULT_REST_CATALOG_PORT = 8181;

  public StackSettings {
    services = Set.copyOf(services);
  }

  /**
   * A new builder with the documented defaults (fixed ports, data in {@code <cwd>/.floe}).
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings from the environment variables listed in the class comment, defaults otherwise.
   *
   * @return validated settings
   * @throws IllegalArgumentException naming the variable if a value is invalid
   */
  public static StackSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Settings from the given variables (testable variant of {@link #fromEnvironment()}).
   *
   * @param env the variables
   * @return validated settings
   * @throws IllegalArgumentException naming the variable if a value is invalid
   */
  public static StackSettings fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    get(env, "FLOE_DATA_DIR").ifPresent(v -> b.dataDir(Path.of(v)));
    get(env, "FLOE_CACHE_DIR").ifPresent(v -> b.cacheDir(Path.of(v)));
    get(env, "FLOE_KAFKA_PORT").ifPresent(v -> b.kafkaPort(port("FLOE_KAFKA_PORT", v)));
    get(env, "FLOE_KAFKA_CONTROLLER_PORT")
        .ifPresent(v -> b.kafkaControllerPort(port("FLOE_KAFKA_CONTROLLER_PORT", v)));
    get(env, "FLOE_POSTGRES_PORT").ifPresent(v -> b.postgresPort(port("FLOE_POSTGRES_PORT", v)));
    get(env, "FLOE_TRINO_PORT").ifPresent(v -> b.trinoPort(port("FLOE_TRINO_PORT", v)));
    get(env, "TRINO_JAVA_HOME").ifPresent(v -> b.trinoJavaHome(Path.of(v)));
    get(env, "FLOE_TRINO_HEAP").ifPresent(b::trinoHeap);
    get(env, "FLOE_CATALOG_PASSWORD").ifPresent(b::catalogPassword);
    get(env, "FLOE_SERVICES").ifPresent(v -> b.services(parseServices(v)));
    get(env, "FLOE_TRINO_CATALOG_TYPE").ifPresent(b::trinoCatalogType);
    get(env, "FLOE_TRINO_REST_CATALOG_URI").ifPresent(b::restCatalogUri);
    get(env, "FLOE_CATALOG_API_TOKEN").ifPresent(b::restCatalogToken);
    return b.build();
  }

  /**
   * Settings for a test JVM: free ports picked by the OS, the given data directory, Trino with a 1
   * GB heap, the cache directory from {@code FLOE_CACHE_DIR} or its default (so Trino is unpacked
   * once per machine).
   *
   * @param dataDir where the services keep their data
   * @return validated settings
   */
  public static StackSettings forTests(Path dataDir) {
    Builder b = builder().dataDir(dataDir).trinoHeap("1G");
    get(System.getenv(), "FLOE_CACHE_DIR").ifPresent(v -> b.cacheDir(Path.of(v)));
    get(System.getenv(), "TRINO_JAVA_HOME").ifPresent(v -> b.trinoJavaHome(Path.of(v)));
    return b.kafkaPort(Processes.freePort())
        .kafkaControllerPort(Processes.freePort())
        .postgresPort(Processes.freePort())
        .trinoPort(Processes.freePort())
        .build();
  }

  private static Optional<String> get(Map<String, String> env, String key) {
    return EnvValues.get(env, key);
  }

  private static int port(String key, String value) {
    return EnvValues.integer(key, value);
  }

  /**
   * Parses a comma-separated list of service names, e.g. {@code "kafka,postgres"}.
   *
   * @param list the list
   * @return the services
   * @throws IllegalArgumentException naming FLOE_SERVICES for an unknown name
   */
  public static Set<Service> parseServices(String list) {
    EnumSet<Service> out = EnumSet.noneOf(Service.class);
    for (String name : list.split(",")) {
      String n = name.trim();
      if (n.isEmpty()) {
        continue;
      }
      try {
        out.add(Service.valueOf(n.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "FLOE_SERVICES: unknown service '" + n + "' (known: kafka, postgres, trino)");
      }
    }
    return out;
  }

  /**
   * A builder pre-filled with these settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.dataDir = dataDir;
    b.cacheDir = cacheDir;
    b.kafkaPort = kafkaPort;
    b.kafkaControllerPort = kafkaControllerPort;
    b.postgresPort = postgresPort;
    b.trinoPort = trinoPort;
    b.trinoJavaHome = trinoJavaHome.orElse(null);
    b.trinoHeap = trinoHeap;
    b.services(services);
    b.catalogPassword = catalogPassword.orElse(null);
    b.startTimeout = startTimeout;
    b.trinoCatalogType = trinoCatalogType;
    b.restCatalogUri = restCatalogUri;
    b.restCatalogToken = restCatalogToken.orElse(null);
    return b;
  }

  /** The settings without the password and the token. */
  @Override
  public String toString() {
    return "StackSettings{dataDir="
        + dataDir
        + ", cacheDir="
        + cacheDir
        + ", kafkaPort="
        + kafkaPort
        + ", kafkaControllerPort="
        + kafkaControllerPort
        + ", postgresPort="
        + postgresPort
        + ", trinoPort="
        + trinoPort
        + ", trinoHeap="
        + trinoHeap
        + ", services="
        + services
        + ", trinoCatalogType="
        + trinoCatalogType
        + "}";
  }

  /**
   * Builds {@link StackSettings}: each field holds its setting's default, each setter is named
   * after the setting (its variable in the class comment); {@link #build()} validates.
   */
  public static final class Builder {
    private Path dataDir = Path.of("").toAbsolutePath().resolve(".floe");
    private Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "floe");
    private int kafkaPort = DEFAULT_KAFKA_PORT;
    private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
    private int postgresPort = DEFAULT_POSTGRES_PORT;
    private int trinoPort = DEFAULT_TRINO_PORT;
    private Path trinoJavaHome;
    private String trinoHeap = DEFAULT_TRINO_HEAP;
    private EnumSet<Service> services = EnumSet.allOf(Service.class);
    private String catalogPassword;
    private Duration startTimeout = Duration.ofSeconds(240);
    private String trinoCatalogType = TRINO_CATALOG_JDBC;
    private String restCatalogUri = "http://127.0.0.1:" + DEFAULT_REST_CATALOG_PORT;
    private String restCatalogToken;

    private Builder() {}

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = cacheDir;
      return this;
    }

    public Builder kafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    public Builder kafkaControllerPort(int port) {
      this.kafkaControllerPort = port;
      return this;
    }

    public Builder postgresPort(int port) {
      this.postgresPort = port;
      return this;
    }

    public Builder trinoPort(int port) {
      this.trinoPort = port;
      return this;
    }

    /** The JDK that runs Trino; null to search. */
    public Builder trinoJavaHome(Path javaHome) {
      this.trinoJavaHome = javaHome;
      return this;
    }

    public Builder trinoHeap(String heap) {
      this.trinoHeap = heap;
      return this;
    }

    public Builder services(Collection<Service> services) {
      this.services = services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
      return this;
    }

    public Builder services(Service... services) {
      return services(Arrays.asList(services));
    }

    public Builder catalogPassword(String password) {
      this.catalogPassword = password;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public Builder trinoCatalogType(String type) {
      this.trinoCatalogType = type;
      return this;
    }

    public Builder restCatalogUri(String uri) {
      this.restCatalogUri = uri;
      return this;
    }

    public Builder restCatalogToken(String token) {
      this.restCatalogToken = token;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    public StackSettings build() {
      Objects.requireNonNull(dataDir, "FLOE_DATA_DIR must be set");
      Objects.requireNonNull(cacheDir, "FLOE_CACHE_DIR must be set");
      checkPort("FLOE_KAFKA_PORT", kafkaPort);
      checkPort("FLOE_KAFKA_CONTROLLER_PORT", kafkaControllerPort);
      checkPort("FLOE_POSTGRES_PORT", postgresPort);
      checkPort("FLOE_TRINO_PORT", trinoPort);
      int[] ports = {kafkaPort, kafkaControllerPort, postgresPort, trinoPort};
      String[] keys = {
        "FLOE_KAFKA_PORT", "FLOE_KAFKA_CONTROLLER_PORT", "FLOE_POSTGRES_PORT", "FLOE_TRINO_PORT"
      };
      for (int i = 0; i < ports.length; i++) {
        for (int j = i + 1; j < ports.length; j++) {
          if (ports[i] == ports[j]) {
            throw new IllegalArgumentException(
                keys[i] + " and " + keys[j] + " must differ, both are " + ports[i]);
          }
        }
      }
      EnvValues.checkHeap("FLOE_TRINO_HEAP", trinoHeap);
      if (!TRINO_CATALOG_JDBC.equals(trinoCatalogType)
          && !TRINO_CATALOG_REST.equals(trinoCatalogType)) {
        throw new IllegalArgumentException(
            "FLOE_TRINO_CATALOG_TYPE must be jdbc or rest, got: " + trinoCatalogType);
      }
      if (restCatalogUri == null || !restCatalogUri.matches("https?://\\S+")) {
        throw new IllegalArgumentException(
            "FLOE_TRINO_REST_CATALOG_URI must be an http(s) URL, got: " + restCatalogUri);
      }
      if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive");
      }
      EnumSet<Service> started = EnumSet.noneOf(Service.class);
      started.addAll(services);
      if (started.contains(Service.TRINO)) {
        started.add(Service.POSTGRES);
      }
      return new StackSettings(
          dataDir.toAbsolutePath().normalize(),
          cacheDir.toAbsolutePath().normalize(),
          kafkaPort,
          kafkaControllerPort,
          postgresPort,
          trinoPort,
          Optional.ofNullable(trinoJavaHome),
          trinoHeap,
          started,
          Optional.ofNullable(catalogPassword),
          startTimeout,
          trinoCatalogType,
          restCatalogUri,
          Optional.ofNullable(restCatalogToken));
    }

    private static void checkPort(String key, int port) {
      EnvValues.checkPort(key, port);
    }
  }
}
