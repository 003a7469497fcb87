package dev.floe.job.config;

import dev.floe.contract.GcsHadoopKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CoreOptions;

/**
 * How {@code gs://} URIs (warehouse, checkpoints) reach GCS: through the shaded Hadoop GCS
 * connector (2.2.x for Hadoop 3). The same Hadoop keys go into the Iceberg catalog's Hadoop
 * configuration and, prefixed with {@code flink.hadoop.}, into Flink's configuration, from which
 * Flink's Hadoop file-system fallback builds the file system used for checkpoints.
 */
public record StorageSettings(
    Optional<String> projectId, Optional<String> credentialsFile, Optional<String> endpoint) {

  public static final String FLINK_HADOOP_PREFIX = "flink.hadoop.";

  /**
   * Flink serves {@code gs://} only through its {@code flink-gs-fs-hadoop} plugin and refuses the
   * Hadoop fallback for it ({@code FileSystem.DIRECTLY_SUPPORTED_FILESYSTEM} in flink-core) unless
   * this key names the scheme. The job has no plugin: its shaded jar carries Hadoop and the GCS
   * connector, so the fallback must be allowed wherever Flink opens a file system (the job's own
   * configuration, and the cluster configuration of every jobmanager and taskmanager).
   */
  public static final String ALLOWED_FALLBACK_FILESYSTEMS =
      CoreOptions.ALLOWED_FALLBACK_FILESYSTEMS.key();

  /** The scheme the job opens through the Hadoop fallback. */
  public static final String GCS_SCHEME = "gs";

  /** Hadoop configuration keys of the GCS connector. */
  public Map<String, String> hadoopProperties() {
    return GcsHadoopKeys.of(projectId, credentialsFile, endpoint);
  }

  /** The same keys for Flink's configuration (checkpoint storage). */
  public Map<String, String> flinkProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    hadoopProperties().forEach((k, v) -> props.put(FLINK_HADOOP_PREFIX + k, v));
    return props;
  }

  /**
   * Puts the storage keys into a Flink configuration and adds {@code gs} to the schemes allowed
   * through the Hadoop fallback, keeping any the configuration already allows.
   *
   * @param conf the job's Flink configuration, changed in place
   */
  public void applyTo(org.apache.flink.configuration.Configuration conf) {
    flinkProperties().forEach(conf::setString);
    String allowed = conf.get(CoreOptions.ALLOWED_FALLBACK_FILESYSTEMS).trim();
    boolean present = false;
    for (String scheme : allowed.split(";")) {
      present |= scheme.trim().equalsIgnoreCase(GCS_SCHEME);
    }
    if (!present) {
      conf.set(
          CoreOptions.ALLOWED_FALLBACK_FILESYSTEMS,
          allowed.isEmpty() ? GCS_SCHEME : allowed + ";" + GCS_SCHEME);
    }
  }

  public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    hadoopProperties().forEach(conf::set);
    return conf;
  }
}
