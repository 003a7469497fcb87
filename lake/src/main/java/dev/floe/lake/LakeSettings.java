package dev.floe.lake;

import dev.floe.contract.Exposure;
import dev.floe.contract.JobSizing;
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
 *   <tr><td>FLOE_PARALLELISM</td><td>half the cores, at least 1</td><td>the Flink job's parallelism (the
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
 *
 * @param stack the platform settings (ports, data directory)
 * @param home the project root the build outputs are found under (FLOE_HOME)
 * @param producerPorts the HTTP port of each producer-service replica, in replica order
 * @param queryPort the query-service port (FLOE_QUERY_PORT)
 * @param flinkRestPort the REST port of the Flink MiniCluster (FLOE_FLINK_REST_PORT)
 * @param consolePort the console's port; 0 = any free port, chosen when the console starts
 * @param catalogPort the catalog-service's port; 0 = any free port, chosen when it starts
 * @param generatorRate generator events per second per replica; 0 means off
 * @param flinkHeap heap of the Flink job's JVM, JVM size syntax
 * @param flinkManagedMemory off-heap managed memory of the job (RocksDB), e.g. "256m"
 * @param serviceHeap heap of each Quarkus service's JVM
 * @param startTimeout how long each component may take to become ready
 * @param supervise whether a component that dies is restarted
 * @param jobParallelism the Flink job's parallelism
 * @param listenAddress the address the services listen on
 * @param apiTokens the services' API tokens that are set, by variable
 */
public record LakeSettings(
    StackSettings stack,
    Path home,
    List<Integer> producerPorts,
    int queryPort,
    int flinkRestPort,
    int consolePort,
    int catalogPort,
    double generatorRate,
    String flinkHeap,
    String flinkManagedMemory,
    String serviceHeap,
    Duration startTimeout,
    boolean supervise,
    int jobParallelism,
    String listenAddress,
    Map<String, String> apiTokens) {

  /** The project root (the build outputs). */
  static final String HOME = "FLOE_HOME";

  /** How many producer-service replicas. */
  static final String PRODUCERS = "FLOE_PRODUCERS";

  /** The first producer-service replica's port. */
  static final String PRODUCER_PORT = "FLOE_PRODUCER_PORT";

  /** The query-service's port. */
  static final String QUERY_PORT = "FLOE_QUERY_PORT";

  /** The Flink MiniCluster's REST port. */
  static final String FLINK_REST_PORT = "FLOE_FLINK_REST_PORT";

  /** The console's port. */
  static final String CONSOLE_PORT = "FLOE_CONSOLE_PORT";

  /** The catalog-service's port. */
  static final String CATALOG_PORT = "FLOE_CATALOG_PORT";

  /** The generator's rate per replica: the producer-service's variable, set by the lake too. */
  static final String GENERATOR_RATE = "FLOE_PRODUCER_GENERATOR_RATE";

  /** Heap of the Flink job's JVM. */
  static final String FLINK_HEAP = "FLOE_FLINK_HEAP";

  /** The job's off-heap managed memory. */
  static final String FLINK_MANAGED_MEMORY = "FLOE_FLINK_MANAGED_MEMORY";

  /** Heap of each Quarkus service's JVM. */
  static final String SERVICE_HEAP = "FLOE_SERVICE_HEAP";

  /** Whether a component that dies is restarted. */
  static final String SUPERVISE = "FLOE_SUPERVISE";

  /** The Flink job's parallelism: the job's own variable, set by the lake too. */
  static final String PARALLELISM = "FLOE_PARALLELISM";

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

  public LakeSettings {
    producerPorts = List.copyOf(producerPorts);
    apiTokens = Map.copyOf(apiTokens);
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
    get(env, HOME).ifPresent(v -> b.home(Path.of(v)));
    get(env, PRODUCERS).ifPresent(v -> b.producers(integer(PRODUCERS, v)));
    get(env, PRODUCER_PORT).ifPresent(v -> b.firstProducerPort(integer(PRODUCER_PORT, v)));
    get(env, QUERY_PORT).ifPresent(v -> b.queryPort(integer(QUERY_PORT, v)));
    get(env, FLINK_REST_PORT).ifPresent(v -> b.flinkRestPort(integer(FLINK_REST_PORT, v)));
    b.consolePort(DEFAULT_CONSOLE_PORT);
    get(env, CONSOLE_PORT).ifPresent(v -> b.consolePort(integer(CONSOLE_PORT, v)));
    b.catalogPort(StackSettings.DEFAULT_REST_CATALOG_PORT);
    get(env, CATALOG_PORT).ifPresent(v -> b.catalogPort(integer(CATALOG_PORT, v)));
    if (get(env, "FLOE_TRINO_REST_CATALOG_URI").isEmpty() && b.catalogPort != 0) {
      // Trino through REST (FLOE_TRINO_CATALOG_TYPE=rest) reaches the catalog-service this lake
      // runs
      b.stack = b.stack.toBuilder().restCatalogUri("http://127.0.0.1:" + b.catalogPort).build();
    }
    get(env, GENERATOR_RATE).ifPresent(v -> b.generatorRate(decimal(GENERATOR_RATE, v)));
    get(env, FLINK_HEAP).ifPresent(b::flinkHeap);
    get(env, FLINK_MANAGED_MEMORY).ifPresent(b::flinkManagedMemory);
    get(env, SERVICE_HEAP).ifPresent(b::serviceHeap);
    get(env, SUPERVISE).ifPresent(v -> b.supervise(bool(SUPERVISE, v)));
    get(env, PARALLELISM).ifPresent(v -> b.jobParallelism(integer(PARALLELISM, v)));
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
   * The data directory of every component (logs, pid files, checkpoints, warehouse).
   *
   * @return the platform's data directory
   */
  public Path dataDir() {
    return stack.dataDir();
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
   * @param variable one of {@link #API_TOKENS}
   * @return the token
   */
  public Optional<String> apiToken(String variable) {
    return Optional.ofNullable(apiTokens.get(variable));
  }

  /** The settings, with which tokens are set but not their values. */
  @Override
  public String toString() {
    return "LakeSettings{stack="
        + stack
        + ", home="
        + home
        + ", producerPorts="
        + producerPorts
        + ", queryPort="
        + queryPort
        + ", flinkRestPort="
        + flinkRestPort
        + ", consolePort="
        + consolePort
        + ", catalogPort="
        + catalogPort
        + ", generatorRate="
        + generatorRate
        + ", flinkHeap="
        + flinkHeap
        + ", flinkManagedMemory="
        + flinkManagedMemory
        + ", serviceHeap="
        + serviceHeap
        + ", startTimeout="
        + startTimeout
        + ", supervise="
        + supervise
        + ", jobParallelism="
        + jobParallelism
        + ", listenAddress="
        + listenAddress
        + ", apiTokens="
        + new java.util.TreeSet<>(apiTokens.keySet())
        + "}";
  }

  /**
   * Builds {@link LakeSettings}: each field holds its setting's default, each setter is named after
   * the setting (its variable in the class comment); {@link #build()} validates.
   */
  public static final class Builder {
    private StackSettings stack;
    private Path home = Path.of("").toAbsolutePath();
    private int producers = 1;
    private int firstProducerPort = DEFAULT_PRODUCER_PORT;
    private List<Integer> producerPorts;
    private int queryPort = DEFAULT_QUERY_PORT;
    private int flinkRestPort = DEFAULT_FLINK_REST_PORT;
    // 0 = any free port: code and tests that set their own free ports for the other components
    // never collide with a running ./floe up (the environment's defaults are 8090 and 8181)
    private int consolePort = 0;
    private int catalogPort = 0;
    private double generatorRate = DEFAULT_GENERATOR_RATE;
    private String flinkHeap = "1g";
    private String flinkManagedMemory = "256m";
    private String serviceHeap = "256m";
    private Duration startTimeout = Duration.ofSeconds(240);
    private boolean supervise = true;
    private int jobParallelism = JobSizing.parallelism();
    private String listenAddress = Exposure.LOOPBACK;
    private final Map<String, String> apiTokens = new LinkedHashMap<>();

    private Builder(StackSettings stack) {
      this.stack = stack;
    }

    public Builder stack(StackSettings stack) {
      this.stack = stack;
      return this;
    }

    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Number of producer-service replicas, 1 to 50 ({@code --producers}). */
    public Builder producers(int producers) {
      this.producers = producers;
      return this;
    }

    /** Port of the first replica; the others count up from 8082. */
    public Builder firstProducerPort(int port) {
      this.firstProducerPort = port;
      return this;
    }

    /** Explicit ports of every replica (tests use free ports); overrides count and first port. */
    public Builder producerPorts(List<Integer> ports) {
      this.producerPorts = List.copyOf(ports);
      return this;
    }

    public Builder queryPort(int port) {
      this.queryPort = port;
      return this;
    }

    public Builder flinkRestPort(int port) {
      this.flinkRestPort = port;
      return this;
    }

    public Builder consolePort(int port) {
      this.consolePort = port;
      return this;
    }

    public Builder catalogPort(int port) {
      this.catalogPort = port;
      return this;
    }

    /** Generator events per second per replica; 0 turns it off. */
    public Builder generatorRate(double rate) {
      this.generatorRate = rate;
      return this;
    }

    public Builder flinkHeap(String heap) {
      this.flinkHeap = heap;
      return this;
    }

    public Builder flinkManagedMemory(String size) {
      this.flinkManagedMemory = size;
      return this;
    }

    public Builder serviceHeap(String heap) {
      this.serviceHeap = heap;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public Builder supervise(boolean supervise) {
      this.supervise = supervise;
      return this;
    }

    /** The Flink job's parallelism, 1 to 256. */
    public Builder jobParallelism(int parallelism) {
      this.jobParallelism = parallelism;
      return this;
    }

    /** An address of this machine, or 0.0.0.0 for every interface. */
    public Builder listenAddress(String address) {
      this.listenAddress = address == null ? "" : address.trim();
      return this;
    }

    /** A service's API token, one of {@link #API_TOKENS}; a blank token is no token. */
    public Builder apiToken(String variable, String token) {
      if (!API_TOKENS.contains(variable)) {
        throw new IllegalArgumentException("no API token is called " + variable);
      }
      if (token == null || token.isBlank()) {
        apiTokens.remove(variable);
      } else {
        apiTokens.put(variable, token);
      }
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
      checkPort(QUERY_PORT, queryPort);
      checkPort(FLINK_REST_PORT, flinkRestPort);
      if (consolePort != 0) {
        checkPort(CONSOLE_PORT, consolePort);
      }
      if (catalogPort != 0) {
        checkPort(CATALOG_PORT, catalogPort);
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
        checkPort(PRODUCER_PORT, firstProducerPort);
        ports =
            defaultProducerPorts(
                producers, firstProducerPort, queryPort, flinkRestPort, consolePort, catalogPort);
      }
      ports.forEach(p -> checkPort(PRODUCER_PORT, p));
      Set<Integer> seen = new HashSet<>();
      List<String> owners = new ArrayList<>();
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < ports.size(); i++) {
        all.add(ports.get(i));
        owners.add("producer-" + (i + 1) + " (FLOE_PRODUCER_PORT)");
      }
      all.add(queryPort);
      owners.add(QUERY_PORT);
      all.add(flinkRestPort);
      owners.add(FLINK_REST_PORT);
      if (consolePort != 0) {
        all.add(consolePort);
        owners.add(CONSOLE_PORT);
      }
      if (catalogPort != 0) {
        all.add(catalogPort);
        owners.add(CATALOG_PORT);
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
      checkHeap(FLINK_HEAP, flinkHeap);
      checkHeap(FLINK_MANAGED_MEMORY, flinkManagedMemory);
      checkHeap(SERVICE_HEAP, serviceHeap);
      if (listenAddress.isEmpty()) {
        throw new IllegalArgumentException(
            Exposure.LISTEN_ADDRESS + " (--listen) must be an address, e.g. 127.0.0.1 or 0.0.0.0");
      }
      Map<String, Optional<String>> credentials = new LinkedHashMap<>();
      API_TOKENS.forEach(t -> credentials.put(t, Optional.ofNullable(apiTokens.get(t))));
      try {
        Exposure.requireCredentials(
            "the lake", listenAddress, Exposure.LISTEN_ADDRESS + ", --listen", credentials);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return new LakeSettings(
          stack,
          home.toAbsolutePath().normalize(),
          ports,
          queryPort,
          flinkRestPort,
          consolePort,
          catalogPort,
          generatorRate,
          flinkHeap,
          flinkManagedMemory,
          serviceHeap,
          startTimeout,
          supervise,
          jobParallelism,
          listenAddress,
          apiTokens);
    }

    /**
     * 8080, then 8082, 8083, ...: the first replica keeps the documented port and the others count
     * up from 8082 (docs/configuration.md), stepping over ports another component owns.
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
