package dev.floe.lake;

import dev.floe.contract.Exposure;
import dev.floe.infra.EnvValues;
import dev.floe.infra.StackSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of a whole-lake run: the platform's {@link StackSettings} plus the components started on
 * top of it. {@link Builder#build()} validates and names the offending key.
 *
 * <table>
 *   <caption>Environment variables (besides those of {@link StackSettings})</caption>
 *   <tr><th>variable</th><th>default</th><th>what</th></tr>
 *   <tr><td>FLOE_HOME</td><td>the working directory</td><td>project root holding the build
 *       outputs (flink-job/target, producer-service and query-service target/quarkus-app)</td></tr>
 *   <tr><td>FLOE_PRODUCERS</td><td>1</td><td>producer-service replicas ({@code --producers})</td></tr>
 *   <tr><td>FLOE_PRODUCER_PORT</td><td>8080</td><td>first replica; the next ones count up from
 *       8082, skipping the query-service port</td></tr>
 *   <tr><td>FLOE_QUERY_PORT</td><td>8081</td><td>query-service</td></tr>
 *   <tr><td>FLOE_FLINK_REST_PORT</td><td>8089</td><td>REST API (and web UI) of the job's
 *       MiniCluster</td></tr>
 *   <tr><td>FLOE_CATALOG_PORT</td><td>8181</td><td>the catalog-service (Iceberg REST catalog); 0 =
 *       any free port (the Java {@link #builder}'s default, as for the console). Trino's
 *       FLOE_TRINO_REST_CATALOG_URI follows it unless set</td></tr>
 *   <tr><td>FLOE_CONSOLE_PORT</td><td>8090</td><td>the console (page and JSON API); 0 = any free
 *       port. The Java {@link #builder} defaults to 0, so code and tests that set their own free ports
 *       for the other components never collide with a running {@code ./floe up} on 8090</td></tr>
 *   <tr><td>FLOE_PRODUCER_GENERATOR_RATE</td><td>5</td><td>synthetic events per second per
 *       replica; 0 turns the generator off ({@code --generator-rate}, {@code --no-generator}). The
 *       service's own variable: a bare service defaults to 50, the lake to 5</td></tr>
 *   <tr><td>FLOE_FLINK_HEAP</td><td>1g</td><td>heap of the Flink job's JVM</td></tr>
 *   <tr><td>FLOE_FLINK_MANAGED_MEMORY</td><td>256m</td><td>the job's off-heap managed memory: RocksDB's
 *       block cache and write buffers of the dedup state</td></tr>
 *   <tr><td>FLOE_SERVICE_HEAP</td><td>256m</td><td>heap of each Quarkus service's JVM</td></tr>
 *   <tr><td>FLOE_PARALLELISM</td><td>the number of cores</td><td>the Flink job's parallelism (the
 *       job's own variable; a bare job defaults to one subtask per raw partition, which
 *       oversubscribes a laptop)</td></tr>
 *   <tr><td>FLOE_LISTEN_ADDRESS</td><td>127.0.0.1</td><td>the address the services (producers,
 *       query-service, console) listen on ({@code --listen}); beyond loopback the lake refuses to
 *       start without FLOE_PRODUCER_API_TOKEN, FLOE_QUERY_API_TOKEN and FLOE_CONSOLE_API_TOKEN.
 *       Kafka, PostgreSQL, Trino and the job's Flink ports stay on loopback whatever it says</td></tr>
 *   <tr><td>FLOE_SUPERVISE</td><td>true</td><td>restart a component that dies, with a backoff
 *       (1 s doubling to 30 s); false leaves it down</td></tr>
 * </table>
 *
 * <p>Every other {@code FLOE_*} variable reaches the children unchanged, so the job's own settings
 * (e.g. {@code FLOE_CHECKPOINT_INTERVAL}) and the services' ones apply as documented there.
 */
public final class LakeSettings {
  /** The generator's rate per replica: the producer-service's variable, set by the lake too. */
  static final String GENERATOR_RATE = "FLOE_PRODUCER_GENERATOR_RATE";

  /** The producer-service's API token: its own variable. */
  public static final String PRODUCER_API_TOKEN = "FLOE_PRODUCER_API_TOKEN";

  /** The query-service's API token: its own variable. */
  public static final String QUERY_API_TOKEN = "FLOE_QUERY_API_TOKEN";

  /** The console's API token: its own variable. */
  public static final String CONSOLE_API_TOKEN = "FLOE_CONSOLE_API_TOKEN";

  /**
   * The catalog-service's API token: its own variable (Trino sends it when it reads through REST).
   */
  public static final String CATALOG_API_TOKEN = "FLOE_CATALOG_API_TOKEN";

  /** Every token a lake opened beyond loopback needs, in the order a refusal names them. */
  static final List<String> API_TOKENS =
      List.of(PRODUCER_API_TOKEN, QUERY_API_TOKEN, CONSOLE_API_TOKEN, CATALOG_API_TOKEN);

  /** Default port of the first producer-service replica. */
  public static final int DEFAULT_PRODUCER_PORT = 8080;

  /** Default query-service port. */
  public static final int DEFAULT_QUERY_PORT = 8081;

  /** Default REST port of the Flink MiniCluster. */
  public static final int DEFAULT_FLINK_REST_PORT = 8089;

  /** Default port of the console. */
  public static final int DEFAULT_CONSOLE_PORT = 8090;

  /** Default generator rate per replica: a modest stream, so data flows at once. */
  public static final double DEFAULT_GENERATOR_RATE = 5;

  private final StackSettings stack;
  private final Path home;
  private final List<Integer> producerPorts;
  private final int queryPort;
  private final int flinkRestPort;
  private final int consolePort;
  private final int catalogPort;
  private final double generatorRate;
  private final String flinkHeap;
  private final String flinkManagedMemory;
  private final String serviceHeap;
  private final Duration startTimeout;
  private final boolean supervise;
  private final int jobParallelism;
  private final String listenAddress;
  private final Map<String, Optional<String>> apiTokens;

  private LakeSettings(Builder b, List<Integer> producerPorts) {
    this.stack = b.stack;
    this.home = b.home;
    this.producerPorts = List.copyOf(producerPorts);
    this.queryPort = b.queryPort;
    this.flinkRestPort = b.flinkRestPort;
    this.consolePort = b.consolePort;
    this.catalogPort = b.catalogPort;
    this.generatorRate = b.generatorRate;
    this.flinkHeap = b.flinkHeap;
    this.flinkManagedMemory = b.flinkManagedMemory;
    this.serviceHeap = b.serviceHeap;
    this.startTimeout = b.startTimeout;
    this.supervise = b.supervise;
    this.jobParallelism = b.jobParallelism;
    this.listenAddress = b.listenAddress;
    this.apiTokens = Map.copyOf(b.apiTokens);
  }

  /**
   * A builder with the documented defaults.
   *
   * @param stack the platform settings
   * @return the builder
   */
  public static Builder builder(StackSettings stack) {
    return new Builder(stack);
  }

  /**
   * Settings from the environment (see the class comment), defaults otherwise.
   *
   * @param env the variables
   * @return a builder to apply command-line options to
   * @throws IllegalArgumentException naming the variable of an invalid value
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    Builder b = builder(StackSettings.fromEnvironment(env));
    get(env, "FLOE_HOME").ifPresent(v -> b.home(Path.of(v)));
    get(env, "FLOE_PRODUCERS").ifPresent(v -> b.producers(integer("FLOE_PRODUCERS", v)));
    get(env, "FLOE_PRODUCER_PORT")
        .ifPresent(v -> b.firstProducerPort(integer("FLOE_PRODUCER_PORT", v)));
    get(env, "FLOE_QUERY_PORT").ifPresent(v -> b.queryPort(integer("FLOE_QUERY_PORT", v)));
    get(env, "FLOE_FLINK_REST_PORT")
        .ifPresent(v -> b.flinkRestPort(integer("FLOE_FLINK_REST_PORT", v)));
    b.consolePort(DEFAULT_CONSOLE_PORT);
    get(env, "FLOE_CONSOLE_PORT").ifPresent(v -> b.consolePort(integer("FLOE_CONSOLE_PORT", v)));
    b.catalogPort(StackSettings.DEFAULT_REST_CATALOG_PORT);
    get(env, "FLOE_CATALOG_PORT").ifPresent(v -> b.catalogPort(integer("FLOE_CATALOG_PORT", v)));
    if (get(env, "FLOE_TRINO_REST_CATALOG_URI").isEmpty() && b.catalogPort != 0) {
      // Trino through REST (FLOE_TRINO_CATALOG_TYPE=rest) reaches the catalog-service this lake
      // runs
      b.stack = b.stack.toBuilder().restCatalogUri("http://127.0.0.1:" + b.catalogPort).build();
    }
    if (get(env, "FLOE_GENERATOR_RATE").isPresent()) {
      throw new IllegalArgumentException(
          "FLOE_GENERATOR_RATE was renamed FLOE_PRODUCER_GENERATOR_RATE, the producer-service's own"
              + " variable");
    }
    get(env, GENERATOR_RATE).ifPresent(v -> b.generatorRate(decimal(GENERATOR_RATE, v)));
    get(env, "FLOE_FLINK_HEAP").ifPresent(b::flinkHeap);
    get(env, "FLOE_FLINK_MANAGED_MEMORY").ifPresent(b::flinkManagedMemory);
    get(env, "FLOE_SERVICE_HEAP").ifPresent(b::serviceHeap);
    get(env, "FLOE_SUPERVISE").ifPresent(v -> b.supervise(bool("FLOE_SUPERVISE", v)));
    get(env, "FLOE_PARALLELISM").ifPresent(v -> b.jobParallelism(integer("FLOE_PARALLELISM", v)));
    get(env, Exposure.LISTEN_ADDRESS).ifPresent(b::listenAddress);
    for (String token : API_TOKENS) {
      get(env, token).ifPresent(v -> b.apiToken(token, v));
    }
    return b;
  }

  private static Optional<String> get(Map<String, String> env, String key) {
    return EnvValues.get(env, key);
  }

  static boolean bool(String key, String value) {
    return EnvValues.bool(key, value);
  }

  static int integer(String key, String value) {
    return EnvValues.integer(key, value);
  }

  static double decimal(String key, String value) {
    return EnvValues.decimal(key, value);
  }

  /**
   * The platform settings (ports, data directory).
   *
   * @return the stack settings
   */
  public StackSettings stack() {
    return stack;
  }

  /**
   * The data directory of every component (logs, pid files, checkpoints, warehouse).
   *
   * @return the data directory
   */
  public Path dataDir() {
    return stack.dataDir();
  }

  /**
   * The project root the build outputs are found under.
   *
   * @return the home
   */
  public Path home() {
    return home;
  }

  /**
   * The HTTP port of each producer-service replica, in replica order.
   *
   * @return the ports
   */
  public List<Integer> producerPorts() {
    return producerPorts;
  }

  /**
   * The query-service port.
   *
   * @return the port
   */
  public int queryPort() {
    return queryPort;
  }

  /**
   * The REST port of the Flink MiniCluster.
   *
   * @return the port
   */
  public int flinkRestPort() {
    return flinkRestPort;
  }

  /**
   * The console's port; 0 = any free port, chosen when the console starts.
   *
   * @return the port
   */
  public int consolePort() {
    return consolePort;
  }

  /**
   * The catalog-service's port; 0 = any free port, chosen when it starts.
   *
   * @return the port
   */
  public int catalogPort() {
    return catalogPort;
  }

  /**
   * Generator events per second per replica; 0 means off.
   *
   * @return the rate
   */
  public double generatorRate() {
    return generatorRate;
  }

  /**
   * Heap of the Flink job's JVM.
   *
   * @return JVM size syntax
   */
  public String flinkHeap() {
    return flinkHeap;
  }

  /**
   * Off-heap managed memory of the job (RocksDB).
   *
   * @return e.g. "256m"
   */
  public String flinkManagedMemory() {
    return flinkManagedMemory;
  }

  /**
   * Heap of each Quarkus service's JVM.
   *
   * @return JVM size syntax
   */
  public String serviceHeap() {
    return serviceHeap;
  }

  /**
   * How long each component may take to become ready.
   *
   * @return the deadline
   */
  public Duration startTimeout() {
    return startTimeout;
  }

  /**
   * Whether a component that dies is restarted (FLOE_SUPERVISE).
   *
   * @return true by default
   */
  public boolean supervise() {
    return supervise;
  }

  /**
   * The Flink job's parallelism (FLOE_PARALLELISM).
   *
   * @return by default the number of cores
   */
  public int jobParallelism() {
    return jobParallelism;
  }

  /**
   * The address the services listen on (FLOE_LISTEN_ADDRESS, {@code --listen}).
   *
   * @return 127.0.0.1 by default
   */
  public String listenAddress() {
    return listenAddress;
  }

  /**
   * The host a client on this machine reaches the services at: the listen address, or loopback when
   * that is a wildcard.
   *
   * @return e.g. 127.0.0.1
   */
  public String localHost() {
    String a = listenAddress;
    boolean wildcard = a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]");
    if (wildcard) {
      return Exposure.LOOPBACK;
    }
    return a.contains(":") && !a.startsWith("[") ? "[" + a + "]" : a;
  }

  /**
   * A service's API token, when one is set.
   *
   * @param variable one of {@link #PRODUCER_API_TOKEN}, {@link #QUERY_API_TOKEN}, {@link
   *     #CONSOLE_API_TOKEN}
   * @return the token
   */
  public Optional<String> apiToken(String variable) {
    return apiTokens.getOrDefault(variable, Optional.empty());
  }

  /** Builds {@link LakeSettings}; {@link #build()} validates. */
  public static final class Builder {
    private StackSettings stack;
    private Path home = Path.of("").toAbsolutePath();
    private int producers = 1;
    private int firstProducerPort = DEFAULT_PRODUCER_PORT;
    private List<Integer> producerPorts;
    private int queryPort = DEFAULT_QUERY_PORT;
    private int flinkRestPort = DEFAULT_FLINK_REST_PORT;
    private int consolePort = 0;
    private int catalogPort = 0;
    private double generatorRate = DEFAULT_GENERATOR_RATE;
    private String flinkHeap = "1g";
    private String flinkManagedMemory = "256m";
    private String serviceHeap = "256m";
    private Duration startTimeout = Duration.ofSeconds(240);
    private boolean supervise = true;
    private int jobParallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    private String listenAddress = Exposure.LOOPBACK;
    private final Map<String, Optional<String>> apiTokens = new LinkedHashMap<>();

    private Builder(StackSettings stack) {
      this.stack = stack;
    }

    /**
     * Replaces the platform settings.
     *
     * @param stack the settings
     * @return this
     */
    public Builder stack(StackSettings stack) {
      this.stack = stack;
      return this;
    }

    /**
     * The project root (FLOE_HOME).
     *
     * @param home the directory
     * @return this
     */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /**
     * Number of producer-service replicas (FLOE_PRODUCERS, {@code --producers}).
     *
     * @param producers at least 1
     * @return this
     */
    public Builder producers(int producers) {
      this.producers = producers;
      return this;
    }

    /**
     * Port of the first replica (FLOE_PRODUCER_PORT); the others count up from 8082.
     *
     * @param port the port
     * @return this
     */
    public Builder firstProducerPort(int port) {
      this.firstProducerPort = port;
      return this;
    }

    /**
     * Explicit ports of every replica (tests use free ports); overrides the count and first port.
     *
     * @param ports one port per replica
     * @return this
     */
    public Builder producerPorts(List<Integer> ports) {
      this.producerPorts = List.copyOf(ports);
      return this;
    }

    /**
     * The query-service port (FLOE_QUERY_PORT).
     *
     * @param port the port
     * @return this
     */
    public Builder queryPort(int port) {
      this.queryPort = port;
      return this;
    }

    /**
     * The Flink REST port (FLOE_FLINK_REST_PORT).
     *
     * @param port the port
     * @return this
     */
    public Builder flinkRestPort(int port) {
      this.flinkRestPort = port;
      return this;
    }

    /**
     * The console's port (FLOE_CONSOLE_PORT; 8090 from the environment, 0 = any free port, the
     * builder's default).
     *
     * @param port the port
     * @return this
     */
    public Builder consolePort(int port) {
      this.consolePort = port;
      return this;
    }

    /**
     * The catalog-service's port (FLOE_CATALOG_PORT; 8181 from the environment, 0 = any free port,
     * the builder's default).
     *
     * @param port the port
     * @return this
     */
    public Builder catalogPort(int port) {
      this.catalogPort = port;
      return this;
    }

    /**
     * Generator rate per replica (FLOE_PRODUCER_GENERATOR_RATE); 0 turns it off.
     *
     * @param rate events per second
     * @return this
     */
    public Builder generatorRate(double rate) {
      this.generatorRate = rate;
      return this;
    }

    /**
     * Heap of the Flink job's JVM (FLOE_FLINK_HEAP).
     *
     * @param heap e.g. "1g"
     * @return this
     */
    public Builder flinkHeap(String heap) {
      this.flinkHeap = heap;
      return this;
    }

    /**
     * Off-heap managed memory of the job: RocksDB's cache and write buffers
     * (FLOE_FLINK_MANAGED_MEMORY).
     *
     * @param size e.g. "256m"
     * @return this
     */
    public Builder flinkManagedMemory(String size) {
      this.flinkManagedMemory = size;
      return this;
    }

    /**
     * Heap of each Quarkus service (FLOE_SERVICE_HEAP).
     *
     * @param heap e.g. "256m"
     * @return this
     */
    public Builder serviceHeap(String heap) {
      this.serviceHeap = heap;
      return this;
    }

    /**
     * How long each component may take to become ready.
     *
     * @param timeout the deadline
     * @return this
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Whether a component that dies is restarted (FLOE_SUPERVISE).
     *
     * @param supervise true to restart
     * @return this
     */
    public Builder supervise(boolean supervise) {
      this.supervise = supervise;
      return this;
    }

    /**
     * The Flink job's parallelism (FLOE_PARALLELISM).
     *
     * @param parallelism 1 to 256
     * @return this
     */
    public Builder jobParallelism(int parallelism) {
      this.jobParallelism = parallelism;
      return this;
    }

    /**
     * The address the services listen on (FLOE_LISTEN_ADDRESS, {@code --listen}).
     *
     * @param address an address of this machine, or 0.0.0.0 for every interface
     * @return this
     */
    public Builder listenAddress(String address) {
      this.listenAddress = address == null ? "" : address.trim();
      return this;
    }

    /**
     * A service's API token (FLOE_PRODUCER_API_TOKEN, FLOE_QUERY_API_TOKEN,
     * FLOE_CONSOLE_API_TOKEN).
     *
     * @param variable the service's variable
     * @param token the token
     * @return this
     */
    public Builder apiToken(String variable, String token) {
      if (!API_TOKENS.contains(variable)) {
        throw new IllegalArgumentException("no API token is called " + variable);
      }
      apiTokens.put(variable, Optional.ofNullable(token).filter(t -> !t.isBlank()));
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the key of an invalid or conflicting value
     */
    public LakeSettings build() {
      if (stack == null) {
        throw new IllegalArgumentException("the platform settings are required");
      }
      home = home.toAbsolutePath().normalize();
      checkPort("FLOE_QUERY_PORT", queryPort);
      checkPort("FLOE_FLINK_REST_PORT", flinkRestPort);
      if (consolePort != 0) {
        checkPort("FLOE_CONSOLE_PORT", consolePort);
      }
      if (catalogPort != 0) {
        checkPort("FLOE_CATALOG_PORT", catalogPort);
      }
      List<Integer> ports;
      if (producerPorts != null) {
        if (producerPorts.isEmpty()) {
          throw new IllegalArgumentException("at least one producer port is required");
        }
        ports = producerPorts;
      } else {
        if (producers < 1 || producers > 50) {
          throw new IllegalArgumentException(
              "FLOE_PRODUCERS (--producers) must be between 1 and 50, got " + producers);
        }
        checkPort("FLOE_PRODUCER_PORT", firstProducerPort);
        ports =
            defaultProducerPorts(
                producers, firstProducerPort, queryPort, flinkRestPort, consolePort, catalogPort);
      }
      ports.forEach(p -> checkPort("FLOE_PRODUCER_PORT", p));
      Set<Integer> seen = new HashSet<>();
      List<String> owners = new ArrayList<>();
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < ports.size(); i++) {
        all.add(ports.get(i));
        owners.add("producer-" + (i + 1) + " (FLOE_PRODUCER_PORT)");
      }
      all.add(queryPort);
      owners.add("FLOE_QUERY_PORT");
      all.add(flinkRestPort);
      owners.add("FLOE_FLINK_REST_PORT");
      if (consolePort != 0) {
        all.add(consolePort);
        owners.add("FLOE_CONSOLE_PORT");
      }
      if (catalogPort != 0) {
        all.add(catalogPort);
        owners.add("FLOE_CATALOG_PORT");
      }
      all.add(stack.kafkaPort());
      owners.add("FLOE_KAFKA_PORT");
      all.add(stack.kafkaControllerPort());
      owners.add("FLOE_KAFKA_CONTROLLER_PORT");
      all.add(stack.postgresPort());
      owners.add("FLOE_POSTGRES_PORT");
      all.add(stack.trinoPort());
      owners.add("FLOE_TRINO_PORT");
      for (int i = 0; i < all.size(); i++) {
        if (!seen.add(all.get(i))) {
          int first = all.indexOf(all.get(i));
          throw new IllegalArgumentException(
              owners.get(first) + " and " + owners.get(i) + " must differ, both are " + all.get(i));
        }
      }
      if (!(generatorRate >= 0) || generatorRate > 100_000) {
        throw new IllegalArgumentException(
            GENERATOR_RATE
                + " (--generator-rate) must be between 0 and 100000, got "
                + generatorRate);
      }
      if (jobParallelism < 1 || jobParallelism > 256) {
        throw new IllegalArgumentException(
            "FLOE_PARALLELISM must be between 1 and 256, got " + jobParallelism);
      }
      checkHeap("FLOE_FLINK_HEAP", flinkHeap);
      checkHeap("FLOE_FLINK_MANAGED_MEMORY", flinkManagedMemory);
      checkHeap("FLOE_SERVICE_HEAP", serviceHeap);
      if (listenAddress.isEmpty()) {
        throw new IllegalArgumentException(
            Exposure.LISTEN_ADDRESS + " (--listen) must be an address, e.g. 127.0.0.1 or 0.0.0.0");
      }
      Map<String, Optional<String>> credentials = new LinkedHashMap<>();
      API_TOKENS.forEach(t -> credentials.put(t, apiTokens.getOrDefault(t, Optional.empty())));
      try {
        Exposure.requireCredentials(
            "the lake", listenAddress, Exposure.LISTEN_ADDRESS + ", --listen", credentials);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return new LakeSettings(this, ports);
    }

    /**
     * 8080, then 8082, 8083, ...: the first replica keeps the documented port and the others count
     * up from 8082 as the README says, stepping over ports another component owns.
     */
    static List<Integer> defaultProducerPorts(int count, int first, int... taken) {
      List<Integer> out = new ArrayList<>();
      out.add(first);
      int next = first == DEFAULT_PRODUCER_PORT ? 8082 : first + 1;
      while (out.size() < count) {
        int candidate = next++;
        boolean clash = false;
        for (int t : taken) {
          clash |= t == candidate;
        }
        if (!clash && !out.contains(candidate)) {
          out.add(candidate);
        }
      }
      return out;
    }

    private static void checkPort(String key, int port) {
      EnvValues.checkPort(key, port);
    }

    private static void checkHeap(String key, String heap) {
      EnvValues.checkHeap(key, heap);
    }
  }
}
