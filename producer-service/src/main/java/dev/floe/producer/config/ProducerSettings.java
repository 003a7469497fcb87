package dev.floe.producer.config;

import dev.floe.contract.LakeNames;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Every setting of the producer service, under the prefix {@code floe.producer}. Environment
 * variables follow the standard mapping ({@code floe.producer.generator.rate} -> {@code
 * FLOE_PRODUCER_GENERATOR_RATE}). A bad value stops the start with a message naming the key.
 */
@ConfigMapping(prefix = "floe.producer")
public interface ProducerSettings {

  /** Value of the {@code source} field of every record; the host name when unset. */
  Optional<
          @Pattern(
              regexp = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
              message = "must be 1 to 64 letters, digits, _ . - (starting with a letter or digit)")
          String>
      replicaId();

  /** Kafka topic the events go to: {@code events.raw}, the lake's one definition of it. */
  @WithDefault(LakeNames.RAW_TOPIC)
  @NotBlank(message = "must not be blank")
  String topic();

  /** How long a request waits for Kafka to acknowledge all its records before answering 503. */
  @WithDefault("5s")
  @DurationMin(millis = 100, message = "must be at least 100ms")
  @DurationMax(minutes = 2, message = "must be at most 2m")
  Duration ackTimeout();

  /** Largest number of events in one {@code POST /events} array. */
  @WithDefault("1000")
  @Min(value = 1, message = "must be at least 1")
  @Max(value = 100_000, message = "must be at most 100000")
  int maxBatchSize();

  /**
   * Bearer token required on {@code POST /events} and {@code /generator}; access control is off
   * when unset.
   */
  Optional<@Size(min = 8, max = 512, message = "must be 8 to 512 characters") String> apiToken();

  @Valid
  Kafka kafka();

  @Valid
  Generator generator();

  /** Producer timeouts that keep a dead broker from blocking request threads. */
  interface Kafka {
    /** Longest time {@code send()} may block for metadata or buffer space. */
    @WithDefault("1s")
    @DurationMin(millis = 10, message = "must be at least 10ms")
    @DurationMax(minutes = 1, message = "must be at most 1m")
    Duration maxBlock();

    /** Upper bound for a record from send to ack or failure (Kafka's delivery.timeout.ms). */
    @WithDefault("30s")
    @DurationMin(seconds = 1, message = "must be at least 1s")
    @DurationMax(minutes = 10, message = "must be at most 10m")
    Duration deliveryTimeout();

    /** Time the readiness check waits for the cluster to answer. */
    @WithDefault("2s")
    @DurationMin(millis = 100, message = "must be at least 100ms")
    @DurationMax(minutes = 1, message = "must be at most 1m")
    Duration healthTimeout();
  }

  /** The scheduled generator of synthetic events. */
  interface Generator {
    /** Whether the generator runs from start; off in the packaged default, on in the local run. */
    @WithDefault("false")
    boolean enabled();

    /** Events per second. */
    @WithDefault("50")
    @DecimalMin(value = "0.1", message = "must be at least 0.1")
    @DecimalMax(value = "100000", message = "must be at most 100000")
    double rate();

    /** Size of the simulated user population (a few users produce most events). */
    @WithDefault("1000")
    @Min(value = 1, message = "must be at least 1")
    @Max(value = 10_000_000, message = "must be at most 10000000")
    int users();
  }
}
