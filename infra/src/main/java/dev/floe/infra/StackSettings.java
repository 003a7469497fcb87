package dev.floe.infra;

import dev.floe.infra.process.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable settings of an {@link EmbeddedStack}: which services, their ports, the data and cache
 * directories, the JDK and heap of Trino. Built with {@link #builder()}, read from the environment
 * with {@link #fromEnvironment()}, or made for tests with {@link #forTests(Path)}. {@link
 * Builder#build()} validates every value and names the offending key in its message.
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
 */
public final class StackSettings {

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

  private final Path dataDir;
  private final Path cacheDir;
  private final int kafkaPort;
  private final int kafkaControllerPort;
  private final int postgresPort;
  private final int trinoPort;
  private final Path trinoJavaHome;
  private final String trinoHeap;
  private final Set<Service> services;
  private final String catalogPassword;
  private final Duration startTimeout;
  private final String trinoCatalogType;
  private final String restCatalogUri;
  private final String restCatalogToken;

  private StackSettings(Builder b) {
    this.dataDir = b.dataDir;
    this.cacheDir = b.cacheDir;
    this.kafkaPort = b.kafkaPort;
    this.kafkaControllerPort = b.kafkaControllerPort;
    this.postgresPort = b.postgresPort;
    this.trinoPort = b.trinoPort;
    this.trinoJavaHome = b.trinoJavaHome;
    this.trinoHeap = b.trinoHeap;
    this.services = Set.copyOf(b.services);
    this.catalogPassword = b.catalogPassword;
    this.startTimeout = b.startTimeout;
    this.trinoCatalogType = b.trinoCatalogType;
    this.restCatalogUri = b.restCatalogUri;
    this.restCatalogToken = b.restCatalogToken;
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
   * Root of all service data, logs and pid files.
   *
   * @return the data directory
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Where downloaded-once artifacts are unpacked (Trino server, PostgreSQL binaries).
   *
   * @return the cache directory
   */
  public Path cacheDir() {
    return cacheDir;
  }

  /**
   * Kafka client port.
   *
   * @return the port
   */
  public int kafkaPort() {
    return kafkaPort;
  }

  /**
   * Kafka controller port.
   *
   * @return the port
   */
  public int kafkaControllerPort() {
    return kafkaControllerPort;
  }

  /**
   * PostgreSQL port.
   *
   * @return the port
   */
  public int postgresPort() {
    return postgresPort;
  }

  /**
   * Trino HTTP port.
   *
   * @return the port
   */
  public int trinoPort() {
    return trinoPort;
  }

  /**
   * The JDK that runs Trino, if configured; otherwise it is searched (see {@link JdkLocator}).
   *
   * @return the configured Java home
   */
  public Optional<Path> trinoJavaHome() {
    return Optional.ofNullable(trinoJavaHome);
  }

  /**
   * Trino's maximum heap, JVM syntax (e.g. "2G").
   *
   * @return the heap size
   */
  public String trinoHeap() {
    return trinoHeap;
  }

  /**
   * The services to start ({@link Service#TRINO} implies {@link Service#POSTGRES}).
   *
   * @return the services
   */
  public Set<Service> services() {
    return services;
  }

  /**
   * The catalog database password, if overridden; otherwise the local default of
   * catalog.properties.
   *
   * @return the password override
   */
  public Optional<String> catalogPassword() {
    return Optional.ofNullable(catalogPassword);
  }

  /**
   * How long each service may take to become ready.
   *
   * @return the deadline per service
   */
  public Duration startTimeout() {
    return startTimeout;
  }

  /**
   * How Trino's {@code iceberg} catalog reaches the lake: {@value #TRINO_CATALOG_JDBC} (the JDBC
   * catalog in PostgreSQL) or {@value #TRINO_CATALOG_REST} (the catalog-service). The admin catalog
   * always goes straight to the JDBC catalog: writes through the REST API are closed.
   *
   * @return jdbc or rest
   */
  public String trinoCatalogType() {
    return trinoCatalogType;
  }

  /**
   * The catalog-service's address, for {@link #trinoCatalogType()} rest.
   *
   * @return e.g. {@code http://127.0.0.1:8181}
   */
  public String restCatalogUri() {
    return restCatalogUri;
  }

  /**
   * The catalog-service's API token, which Trino then sends, if one is set.
   *
   * @return the token
   */
  public Optional<String> restCatalogToken() {
    return Optional.ofNullable(restCatalogToken);
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
    b.trinoJavaHome = trinoJavaHome;
    b.trinoHeap = trinoHeap;
    b.services = EnumSet.noneOf(Service.class);
    b.services.addAll(services);
    b.catalogPassword = catalogPassword;
    b.startTimeout = startTimeout;
    b.trinoCatalogType = trinoCatalogType;
    b.restCatalogUri = restCatalogUri;
    b.restCatalogToken = restCatalogToken;
    return b;
  }

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

  /** Builds {@link StackSettings}; {@link #build()} validates. */
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

    /**
     * How Trino reaches the lake's catalog (FLOE_TRINO_CATALOG_TYPE).
     *
     * @param type jdbc or rest
     * @return this
     */
    public Builder trinoCatalogType(String type) {
      this.trinoCatalogType = type;
      return this;
    }

    /**
     * The catalog-service's address for Trino (FLOE_TRINO_REST_CATALOG_URI).
     *
     * @param uri e.g. http://127.0.0.1:8181
     * @return this
     */
    public Builder restCatalogUri(String uri) {
      this.restCatalogUri = uri;
      return this;
    }

    /**
     * The catalog-service's API token (FLOE_CATALOG_API_TOKEN).
     *
     * @param token the token
     * @return this
     */
    public Builder restCatalogToken(String token) {
      this.restCatalogToken = token;
      return this;
    }

    /**
     * Sets the data directory (FLOE_DATA_DIR).
     *
     * @param dataDir the directory
     * @return this
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Sets the cache directory (FLOE_CACHE_DIR).
     *
     * @param cacheDir the directory
     * @return this
     */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = cacheDir;
      return this;
    }

    /**
     * Sets the Kafka client port (FLOE_KAFKA_PORT).
     *
     * @param port the port
     * @return this
     */
    public Builder kafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    /**
     * Sets the Kafka controller port (FLOE_KAFKA_CONTROLLER_PORT).
     *
     * @param port the port
     * @return this
     */
    public Builder kafkaControllerPort(int port) {
      this.kafkaControllerPort = port;
      return this;
    }

    /**
     * Sets the PostgreSQL port (FLOE_POSTGRES_PORT).
     *
     * @param port the port
     * @return this
     */
    public Builder postgresPort(int port) {
      this.postgresPort = port;
      return this;
    }

    /**
     * Sets the Trino HTTP port (FLOE_TRINO_PORT).
     *
     * @param port the port
     * @return this
     */
    public Builder trinoPort(int port) {
      this.trinoPort = port;
      return this;
    }

    /**
     * Sets the JDK 24+ that runs Trino (TRINO_JAVA_HOME).
     *
     * @param javaHome the Java home, or null to search
     * @return this
     */
    public Builder trinoJavaHome(Path javaHome) {
      this.trinoJavaHome = javaHome;
      return this;
    }

    /**
     * Sets Trino's maximum heap (FLOE_TRINO_HEAP), e.g. "2G".
     *
     * @param heap the size
     * @return this
     */
    public Builder trinoHeap(String heap) {
      this.trinoHeap = heap;
      return this;
    }

    /**
     * Sets the services to start (FLOE_SERVICES).
     *
     * @param services the services
     * @return this
     */
    public Builder services(Collection<Service> services) {
      this.services = services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
      return this;
    }

    /**
     * Sets the services to start.
     *
     * @param services the services
     * @return this
     */
    public Builder services(Service... services) {
      return services(java.util.Arrays.asList(services));
    }

    /**
     * Overrides the catalog database password (FLOE_CATALOG_PASSWORD).
     *
     * @param password the password
     * @return this
     */
    public Builder catalogPassword(String password) {
      this.catalogPassword = password;
      return this;
    }

    /**
     * Sets how long each service may take to become ready.
     *
     * @param timeout the deadline
     * @return this
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
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
      dataDir = dataDir.toAbsolutePath().normalize();
      cacheDir = cacheDir.toAbsolutePath().normalize();
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
      if (services.contains(Service.TRINO)) {
        services.add(Service.POSTGRES);
      }
      return new StackSettings(this);
    }

    private static void checkPort(String key, int port) {
      EnvValues.checkPort(key, port);
    }
  }
}
