package dev.floe.console.config;

import dev.floe.contract.LakeNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Every setting of the console, under {@code floe.console}. Each key can also be given as an
 * environment variable ({@code floe.console.flink-rest-url} = {@code FLOE_CONSOLE_FLINK_REST_URL}).
 * The defaults are the addresses of a local {@code ./floe up}. A bad value fails the start with a
 * message naming the key.
 */
@ConfigMapping(prefix = "floe.console")
public interface ConsoleSettings {

  /** An http(s) base URL without a trailing slash. */
  String URL = "https?://[^\\s/]+(/\\S*[^/\\s])?";

  /**
   * Base URLs of the producer-service replicas (comma-separated), whose {@code /q/metrics} give the
   * ingest rates; the page names them producer-1, producer-2, ... in this order.
   */
  @WithDefault("http://127.0.0.1:8080")
  @NotEmpty
  List<@Pattern(regexp = URL, message = "must be an http(s) base URL") String> producerUrls();

  /**
   * Whether each producer URL's host name stands for every replica behind it (Docker's DNS answers
   * one address per replica): each address is then read as a replica of its own, named by it.
   */
  @WithDefault("false")
  boolean resolveProducers();

  /** Bearer token of the producers, when they require one ({@code floe.producer.api-token}). */
  Optional<String> producerApiToken();

  /** Base URL of the Flink REST API (the MiniCluster's under {@code ./floe up}). */
  @WithDefault("http://127.0.0.1:8089")
  @Pattern(regexp = URL, message = "must be an http(s) base URL")
  String flinkRestUrl();

  /** Kafka bootstrap servers: consumer lag of the job's group and the dead-letter topic. */
  @WithDefault("127.0.0.1:9092")
  @NotBlank
  String kafkaBootstrapServers();

  /** The Flink job's consumer group on the raw topic. */
  @WithDefault(LakeNames.JOB_GROUP_ID)
  @NotBlank
  String jobGroupId();

  /** The topic producers write and the job reads. */
  @WithDefault(LakeNames.RAW_TOPIC)
  @NotBlank
  String rawTopic();

  /** The topic of clean events (its growth is the job's output rate). */
  @WithDefault(LakeNames.CLEAN_TOPIC)
  @NotBlank
  String cleanTopic();

  /** The dead-letter topic. */
  @WithDefault(LakeNames.DLQ_TOPIC)
  @NotBlank
  String dlqTopic();

  /** Base URL of the query-service: the table's metadata and the SQL box go through it. */
  @WithDefault("http://127.0.0.1:8081")
  @Pattern(regexp = URL, message = "must be an http(s) base URL")
  String queryUrl();

  /** Bearer token of the query-service, when it requires one ({@code floe.query.api-token}). */
  Optional<String> queryApiToken();

  /** How often the producers, the job and Kafka are sampled while someone watches. */
  @WithDefault("2s")
  @DurationMin(millis = 200)
  @DurationMax(minutes = 1)
  Duration sampleInterval();

  /**
   * How often the job's own metrics (freshness, commit interval, restarts) are read: each read
   * makes Flink's REST API collect every metric of the job from its task managers.
   */
  @WithDefault("15s")
  @DurationMin(seconds = 1)
  @DurationMax(minutes = 10)
  Duration flinkMetricsInterval();

  /**
   * How often the files per partition are read ({@code "events$partitions"}, which reads the
   * table's manifests; the other table figures come from its snapshots, every table-interval).
   */
  @WithDefault("5m")
  @DurationMin(seconds = 1)
  @DurationMax(hours = 24)
  Duration partitionsInterval();

  /** How often the table's snapshots are read (one Trino query on a metadata table). */
  @WithDefault("30s")
  @DurationMin(seconds = 1)
  @DurationMax(hours = 1)
  Duration tableInterval();

  /** How much history the charts get (a ring buffer of samples). */
  @WithDefault("10m")
  @DurationMin(seconds = 10)
  @DurationMax(hours = 6)
  Duration history();

  /**
   * Sampling stops when nobody asked the API for this long, so a console nobody watches costs the
   * lake nothing; the next request starts it again.
   */
  @WithDefault("30s")
  @DurationMin(seconds = 1)
  @DurationMax(hours = 24)
  Duration idleAfter();

  /** Deadline of one request to a source; a source that does not answer in time shows as down. */
  @WithDefault("2s")
  @DurationMin(millis = 100)
  @DurationMax(minutes = 1)
  Duration sourceTimeout();

  /**
   * Deadline of a request to the query-service: a table read (a few Trino queries on metadata
   * tables, seconds on a table with many files) and a query of the SQL box (the query-service's own
   * time limit is 30 s).
   */
  @WithDefault("60s")
  @DurationMin(seconds = 1)
  @DurationMax(minutes = 10)
  Duration queryTimeout();

  /** When set, the API, metrics and OpenAPI need {@code Authorization: Bearer <token>}. */
  Optional<String> apiToken();
}
