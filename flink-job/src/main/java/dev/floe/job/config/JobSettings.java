package dev.floe.job.config;

import dev.floe.contract.LakeNames;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/**
 * The job's typed settings, read once at start from {@link JobOptions}.
 *
 * <p>Precedence, highest first: program arguments ({@code --floe.kafka.group-id g}), environment
 * variables ({@code FLOE_KAFKA_GROUP_ID=g}), the Flink configuration (e.g. {@code config.yaml} of
 * {@code FLINK_CONF_DIR}), the defaults of {@link JobOptions}. Arguments whose key does not start
 * with {@code floe.} are Flink settings (e.g. {@code --execution.state-recovery.path}) and go into
 * {@link #flinkConfiguration()}.
 */
public final class JobSettings {

  private static final String PREFIX = "floe.";

  private final Map<String, String> values = new HashMap<>();
  private final Map<String, String> sources = new HashMap<>();
  private final Configuration flinkConfiguration;

  private final String bootstrapServers;
  private final String rawTopic;
  private final String cleanTopic;
  private final String dlqTopic;
  private final String groupId;
  private final String transactionalIdPrefix;
  private final Duration transactionTimeout;
  private final String catalogName;
  private final String catalogUri;
  private final String catalogUser;
  private final String catalogPassword;
  private final String warehouse;
  private final String namespace;
  private final String tableName;
  private final MemorySize targetFileSize;
  private final Duration dedupTtl;
  private final MemorySize dedupFilterMemory;
  private final Duration checkpointInterval;
  private final Duration checkpointIntervalDuringBacklog;
  private final Duration backlogThreshold;
  private final String checkpointDir;
  private final boolean autoResume;
  private final Integer parallelism;
  private final StorageSettings storage;
  private final MaintenanceSettings maintenance;
  private final Duration tableRefreshInterval;

  private JobSettings(Map<String, String> args, Map<String, String> env, Configuration flinkConf) {
    Map<String, String> flinkValues = flinkConf.toMap();
    for (ConfigOption<?> option : JobOptions.ALL) {
      String key = option.key();
      String envName = JobOptions.environmentVariable(key);
      if (args.containsKey(key)) {
        put(key, args.get(key), "argument --" + key);
      } else if (env.containsKey(envName)) {
        put(key, env.get(envName), "environment variable " + envName);
      } else if (flinkValues.containsKey(key)) {
        put(key, flinkValues.get(key), "Flink configuration key " + key);
      }
    }
    Configuration flink = new Configuration(flinkConf);
    args.forEach(
        (key, value) -> {
          if (!key.startsWith(PREFIX)) {
            flink.setString(key, value);
          } else if (JobOptions.ALL.stream().noneMatch(o -> o.key().equals(key))) {
            throw new InvalidSettingException(
                "Unknown setting " + key + " (argument --" + key + ")");
          }
        });
    this.flinkConfiguration = flink;

    bootstrapServers = required(JobOptions.KAFKA_BOOTSTRAP_SERVERS);
    rawTopic = nonBlank(JobOptions.KAFKA_TOPIC_RAW);
    cleanTopic = nonBlank(JobOptions.KAFKA_TOPIC_CLEAN);
    dlqTopic = nonBlank(JobOptions.KAFKA_TOPIC_DLQ);
    groupId = nonBlank(JobOptions.KAFKA_GROUP_ID);
    transactionalIdPrefix = nonBlank(JobOptions.KAFKA_TRANSACTIONAL_ID_PREFIX);
    transactionTimeout = positive(JobOptions.KAFKA_TRANSACTION_TIMEOUT);
    catalogName = nonBlank(JobOptions.CATALOG_NAME);
    catalogUri = required(JobOptions.CATALOG_URI);
    if (!catalogUri.startsWith("jdbc:")) {
      throw invalid(JobOptions.CATALOG_URI, "must be a JDBC URL (jdbc:postgresql://...)");
    }
    catalogUser = get(JobOptions.CATALOG_USER);
    catalogPassword = get(JobOptions.CATALOG_PASSWORD);
    warehouse = uri(JobOptions.WAREHOUSE);
    String table = nonBlank(JobOptions.TABLE);
    int dot = table.indexOf('.');
    if (dot <= 0 || dot == table.length() - 1 || table.indexOf('.', dot + 1) >= 0) {
      throw invalid(JobOptions.TABLE, "must be <namespace>.<table>");
    }
    namespace = table.substring(0, dot);
    tableName = table.substring(dot + 1);
    targetFileSize = get(JobOptions.TARGET_FILE_SIZE);
    if (targetFileSize.getBytes() < 1024 * 1024) {
      throw invalid(JobOptions.TARGET_FILE_SIZE, "must be at least 1 mb");
    }
    dedupTtl = positive(JobOptions.DEDUP_TTL);
    dedupFilterMemory = get(JobOptions.DEDUP_FILTER_MEMORY);
    checkpointInterval = get(JobOptions.CHECKPOINT_INTERVAL);
    if (checkpointInterval.toMillis() < 10) {
      throw invalid(JobOptions.CHECKPOINT_INTERVAL, "must be at least 10 ms");
    }
    checkpointIntervalDuringBacklog = get(JobOptions.CHECKPOINT_INTERVAL_DURING_BACKLOG);
    if (checkpointIntervalDuringBacklog.compareTo(checkpointInterval) < 0) {
      throw invalid(
          JobOptions.CHECKPOINT_INTERVAL_DURING_BACKLOG,
          "must not be shorter than floe.checkpoint.interval (" + checkpointInterval + ")");
    }
    backlogThreshold = positive(JobOptions.CHECKPOINT_BACKLOG_THRESHOLD);
    checkpointDir = uri(JobOptions.CHECKPOINT_DIR);
    autoResume = get(JobOptions.CHECKPOINT_AUTO_RESUME);
    parallelism =
        values.containsKey(JobOptions.PARALLELISM.key()) ? get(JobOptions.PARALLELISM) : null;
    if (parallelism != null && parallelism < 1) {
      throw invalid(JobOptions.PARALLELISM, "must be at least 1");
    }
    storage =
        new StorageSettings(
            optional(JobOptions.GCS_PROJECT_ID),
            optional(JobOptions.GCS_CREDENTIALS_FILE),
            optional(JobOptions.GCS_ENDPOINT));
    Duration rateLimit = get(JobOptions.MAINTENANCE_RATE_LIMIT);
    // Iceberg 1.11 computes the poll rate from whole seconds: below 1 s it busy-loops
    if (rateLimit.toMillis() < 1000) {
      throw invalid(JobOptions.MAINTENANCE_RATE_LIMIT, "must be at least 1 s");
    }
    maintenance =
        new MaintenanceSettings(
            get(JobOptions.MAINTENANCE_ENABLED),
            rateLimit,
            atLeast(JobOptions.MAINTENANCE_REWRITE_COMMITS, 1),
            positive(JobOptions.MAINTENANCE_REWRITE_INTERVAL),
            atLeast(JobOptions.MAINTENANCE_REWRITE_MIN_INPUT_FILES, 2),
            rewriteMinFileSize(),
            positive(JobOptions.MAINTENANCE_SNAPSHOT_RETENTION),
            atLeast(JobOptions.MAINTENANCE_SNAPSHOT_MIN_COUNT, 1),
            atLeast(JobOptions.MAINTENANCE_EXPIRE_COMMITS, 1),
            positive(JobOptions.MAINTENANCE_ORPHAN_MIN_AGE),
            positive(JobOptions.MAINTENANCE_ORPHAN_INTERVAL),
            nonNegative(JobOptions.MAINTENANCE_START_LAG),
            nonNegativeDuration(JobOptions.MAINTENANCE_START_DELAY),
            positive(JobOptions.MAINTENANCE_START_TIMEOUT));
    tableRefreshInterval = positive(JobOptions.TABLE_REFRESH_INTERVAL);
  }

  /** Settings of the table maintenance running inside the job. */
  public record MaintenanceSettings(
      boolean enabled,
      Duration rateLimit,
      int rewriteCommitCount,
      Duration rewriteInterval,
      int rewriteMinInputFiles,
      long rewriteMinFileSize,
      Duration snapshotRetention,
      int snapshotMinCount,
      int expireCommitCount,
      Duration orphanMinAge,
      Duration orphanInterval,
      long startLag,
      Duration startDelay,
      Duration startTimeout)
      implements java.io.Serializable {}

  private long rewriteMinFileSize() {
    long bytes = get(JobOptions.MAINTENANCE_REWRITE_MIN_FILE_SIZE).getBytes();
    if (bytes < 1 || bytes > targetFileSize.getBytes()) {
      throw invalid(
          JobOptions.MAINTENANCE_REWRITE_MIN_FILE_SIZE,
          "must be between 1 byte and floe.iceberg.target-file-size (" + targetFileSize + ")");
    }
    return bytes;
  }

  private long nonNegative(ConfigOption<Long> option) {
    long value = get(option);
    if (value < 0) {
      throw invalid(option, "must be at least 0");
    }
    return value;
  }

  private int atLeast(ConfigOption<Integer> option, int min) {
    int value = get(option);
    if (value < min) {
      throw invalid(option, "must be at least " + min);
    }
    return value;
  }

  /** Reads the settings of a started job: {@code args}, {@link System#getenv()}, Flink config. */
  public static JobSettings load(String[] args, Map<String, String> env, Configuration flinkConf) {
    return new JobSettings(parseArguments(args), env, flinkConf);
  }

  /** {@code --key value} or {@code --key=value} pairs. */
  static Map<String, String> parseArguments(String[] args) {
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new InvalidSettingException(
            "Unexpected argument '" + arg + "': expected --<key> <value>");
      }
      String key = arg.substring(2);
      int eq = key.indexOf('=');
      if (eq >= 0) {
        result.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (i + 1 < args.length) {
        result.put(key, args[++i]);
      } else {
        throw new InvalidSettingException("Missing value for argument --" + key);
      }
    }
    return result;
  }

  private void put(String key, String value, String source) {
    values.put(key, value);
    sources.put(key, source);
  }

  private <T> T get(ConfigOption<T> option) {
    String raw = values.get(option.key());
    if (raw == null) {
      return option.defaultValue();
    }
    Configuration single = new Configuration();
    single.setString(option.key(), raw);
    try {
      return single.get(option);
    } catch (IllegalArgumentException e) {
      throw invalid(option, rootMessage(e));
    }
  }

  private String required(ConfigOption<String> option) {
    String value = get(option);
    if (value == null || value.isBlank()) {
      String key = option.key();
      throw new InvalidSettingException(
          "Missing required setting "
              + key
              + ": give --"
              + key
              + " <value> or the environment variable "
              + JobOptions.environmentVariable(key));
    }
    return value.trim();
  }

  private String nonBlank(ConfigOption<String> option) {
    String value = get(option);
    if (value == null || value.isBlank()) {
      throw invalid(option, "must not be blank");
    }
    return value.trim();
  }

  private Optional<String> optional(ConfigOption<String> option) {
    return Optional.ofNullable(get(option)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private Duration nonNegativeDuration(ConfigOption<Duration> option) {
    Duration value = get(option);
    if (value.isNegative()) {
      throw invalid(option, "must be at least 0");
    }
    return value;
  }

  private Duration positive(ConfigOption<Duration> option) {
    Duration value = get(option);
    if (value.isNegative() || value.isZero()) {
      throw invalid(option, "must be positive");
    }
    return value;
  }

  private String uri(ConfigOption<String> option) {
    String value = required(option);
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null) {
        throw invalid(option, "must be a URI with a scheme (file:///... or gs://bucket/...)");
      }
    } catch (java.net.URISyntaxException e) {
      throw invalid(option, "is not a URI: " + e.getMessage());
    }
    return value;
  }

  private InvalidSettingException invalid(ConfigOption<?> option, String why) {
    String key = option.key();
    String source = sources.getOrDefault(key, "default");
    return new InvalidSettingException(
        "Invalid setting "
            + key
            + " = '"
            + values.getOrDefault(key, String.valueOf(option.defaultValue()))
            + "' (from "
            + source
            + "): "
            + why);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** The Flink configuration given (FLINK_CONF_DIR) plus the non-floe arguments. */
  public Configuration flinkConfiguration() {
    return new Configuration(flinkConfiguration);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String rawTopic() {
    return rawTopic;
  }

  public String cleanTopic() {
    return cleanTopic;
  }

  public String dlqTopic() {
    return dlqTopic;
  }

  public String groupId() {
    return groupId;
  }

  public String transactionalIdPrefix() {
    return transactionalIdPrefix;
  }

  public Duration transactionTimeout() {
    return transactionTimeout;
  }

  public String catalogName() {
    return catalogName;
  }

  /** Properties for Iceberg's CatalogUtil.buildIcebergCatalog (JdbcCatalog). */
  public Map<String, String> catalogProperties() {
    return new LakeNames.CatalogConnection(catalogUri, catalogUser, catalogPassword, warehouse)
        .icebergProperties();
  }

  public String warehouse() {
    return warehouse;
  }

  public String namespace() {
    return namespace;
  }

  public String tableName() {
    return tableName;
  }

  public MemorySize targetFileSize() {
    return targetFileSize;
  }

  public Duration dedupTtl() {
    return dedupTtl;
  }

  public MemorySize dedupFilterMemory() {
    return dedupFilterMemory;
  }

  public Duration checkpointInterval() {
    return checkpointInterval;
  }

  public Duration checkpointIntervalDuringBacklog() {
    return checkpointIntervalDuringBacklog;
  }

  public Duration backlogThreshold() {
    return backlogThreshold;
  }

  public String checkpointDir() {
    return checkpointDir;
  }

  public boolean autoResume() {
    return autoResume;
  }

  public OptionalInt parallelism() {
    return parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism);
  }

  public StorageSettings storage() {
    return storage;
  }

  public MaintenanceSettings maintenance() {
    return maintenance;
  }

  public Duration tableRefreshInterval() {
    return tableRefreshInterval;
  }
}
