package dev.floe.lake;

import dev.floe.infra.EmbeddedStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment each component is started with: the addresses of the platform it needs and the
 * settings the lake decides for it. Each variable is the component's own setting (its name is the
 * component's documented key, upper-cased), so that a component started by the lake reads the same
 * keys as one deployed on its own; the lake's own settings and the API tokens come from {@link
 * LakeSettings}.
 */
final class ComponentEnvironment {

  private ComponentEnvironment() {}

  // every Quarkus service
  static final String HTTP_PORT = "QUARKUS_HTTP_PORT";
  static final String HTTP_HOST = "QUARKUS_HTTP_HOST";

  // the Flink job (flink-job's JobOptions) and the catalog connection it shares with the
  // catalog-service
  static final String JOB_KAFKA_BOOTSTRAP_SERVERS = "FLOE_KAFKA_BOOTSTRAP_SERVERS";
  static final String JOB_KAFKA_GROUP_ID = "FLOE_KAFKA_GROUP_ID";
  static final String JOB_CHECKPOINT_DIR = "FLOE_CHECKPOINT_DIR";
  static final String CATALOG_NAME = "FLOE_CATALOG_NAME";
  static final String CATALOG_URI = "FLOE_CATALOG_URI";
  static final String CATALOG_USER = "FLOE_CATALOG_USER";
  static final String CATALOG_PASSWORD = "FLOE_CATALOG_PASSWORD";
  static final String CATALOG_WAREHOUSE = "FLOE_CATALOG_WAREHOUSE";

  // the producer-service (its application.properties)
  static final String PRODUCER_KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  static final String PRODUCER_REPLICA_ID = "FLOE_PRODUCER_REPLICA_ID";
  static final String PRODUCER_GENERATOR_ENABLED = "FLOE_PRODUCER_GENERATOR_ENABLED";

  // the query-service (QuerySettings)
  static final String QUERY_TRINO_URL = "FLOE_QUERY_TRINO_URL";
  static final String QUERY_TRINO_USER = "FLOE_QUERY_TRINO_USER";

  // the console (ConsoleSettings)
  static final String CONSOLE_PRODUCER_URLS = "FLOE_CONSOLE_PRODUCER_URLS";
  static final String CONSOLE_FLINK_REST_URL = "FLOE_CONSOLE_FLINK_REST_URL";
  static final String CONSOLE_KAFKA_BOOTSTRAP_SERVERS = "FLOE_CONSOLE_KAFKA_BOOTSTRAP_SERVERS";
  static final String CONSOLE_JOB_GROUP_ID = "FLOE_CONSOLE_JOB_GROUP_ID";
  static final String CONSOLE_QUERY_URL = "FLOE_CONSOLE_QUERY_URL";
  static final String CONSOLE_PRODUCER_API_TOKEN = "FLOE_CONSOLE_PRODUCER_API_TOKEN";
  static final String CONSOLE_QUERY_API_TOKEN = "FLOE_CONSOLE_QUERY_API_TOKEN";

  /**
   * The Flink job: Kafka, the JDBC catalog, its checkpoints under the data directory, the lake's
   * consumer group and the parallelism (one subtask per two cores, {@link
   * dev.floe.contract.JobSizing}: the job's own default, one per raw partition, oversubscribes
   * small machines, which costs freshness and CPU).
   */
  static Map<String, String> flinkJob(EmbeddedStack stack, Path checkpointDir, int parallelism) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(JOB_KAFKA_BOOTSTRAP_SERVERS, stack.kafkaBootstrapServers());
    env.put(CATALOG_NAME, stack.catalogName());
    catalog(env, stack);
    env.put(JOB_CHECKPOINT_DIR, checkpointDir.toUri().toString());
    env.put(JOB_KAFKA_GROUP_ID, Lake.JOB_GROUP_ID);
    env.put(LakeSettings.PARALLELISM, Integer.toString(parallelism));
    return env;
  }

  /** A producer-service replica: Kafka, its replica id, the generator at the lake's rate. */
  static Map<String, String> producer(
      LakeSettings settings, EmbeddedStack stack, String name, int port) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(HTTP_PORT, Integer.toString(port));
    env.put(PRODUCER_KAFKA_BOOTSTRAP_SERVERS, stack.kafkaBootstrapServers());
    env.put(PRODUCER_REPLICA_ID, name);
    token(env, settings, LakeSettings.PRODUCER_API_TOKEN, LakeSettings.PRODUCER_API_TOKEN);
    boolean generator = settings.generatorRate() > 0;
    env.put(PRODUCER_GENERATOR_ENABLED, Boolean.toString(generator));
    if (generator) {
      env.put(LakeSettings.GENERATOR_RATE, Double.toString(settings.generatorRate()));
    }
    return env;
  }

  /** The query-service: Trino, as the read-only query user. */
  static Map<String, String> queryService(LakeSettings settings, EmbeddedStack stack) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(HTTP_PORT, Integer.toString(settings.queryPort()));
    env.put(QUERY_TRINO_URL, stack.trinoJdbcUrl());
    env.put(QUERY_TRINO_USER, EmbeddedStack.TRINO_QUERY_USER);
    token(env, settings, LakeSettings.QUERY_API_TOKEN, LakeSettings.QUERY_API_TOKEN);
    return env;
  }

  /** The catalog-service: the JDBC catalog it serves over Iceberg REST. */
  static Map<String, String> catalogService(LakeSettings settings, EmbeddedStack stack, int port) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(HTTP_PORT, Integer.toString(port));
    catalog(env, stack);
    token(env, settings, LakeSettings.CATALOG_API_TOKEN, LakeSettings.CATALOG_API_TOKEN);
    return env;
  }

  /**
   * The console: what it reads (producers, job, Kafka, query-service), with the producers' and the
   * query-service's tokens to read them.
   */
  static Map<String, String> console(
      LakeSettings settings,
      EmbeddedStack stack,
      int port,
      List<String> producerUrls,
      String flinkRestUrl,
      String queryUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(HTTP_PORT, Integer.toString(port));
    env.put(CONSOLE_PRODUCER_URLS, String.join(",", producerUrls));
    env.put(CONSOLE_FLINK_REST_URL, flinkRestUrl);
    env.put(CONSOLE_KAFKA_BOOTSTRAP_SERVERS, stack.kafkaBootstrapServers());
    env.put(CONSOLE_JOB_GROUP_ID, Lake.JOB_GROUP_ID);
    env.put(CONSOLE_QUERY_URL, queryUrl);
    token(env, settings, LakeSettings.CONSOLE_API_TOKEN, LakeSettings.CONSOLE_API_TOKEN);
    token(env, settings, LakeSettings.PRODUCER_API_TOKEN, CONSOLE_PRODUCER_API_TOKEN);
    token(env, settings, LakeSettings.QUERY_API_TOKEN, CONSOLE_QUERY_API_TOKEN);
    return env;
  }

  private static void catalog(Map<String, String> env, EmbeddedStack stack) {
    env.put(CATALOG_URI, stack.catalogJdbcUrl());
    env.put(CATALOG_USER, stack.catalogUser());
    env.put(CATALOG_PASSWORD, stack.catalogPassword());
    env.put(CATALOG_WAREHOUSE, stack.warehouse());
  }

  /** The lake's token {@code setting}, when set, passed as the child's {@code variable}. */
  private static void token(
      Map<String, String> env, LakeSettings settings, String setting, String variable) {
    settings.apiToken(setting).ifPresent(t -> env.put(variable, t));
  }
}
