package dev.floe.console.sample;

import dev.floe.console.config.ConsoleSettings;
import dev.floe.console.source.KafkaSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What Kafka says about the job: consumer lag per partition, records in and out per second, the raw
 * topic's retention against the oldest unread record, and the dead letters.
 *
 * <p>Records in and out come from Kafka, not from the job's metrics (each read of those costs the
 * job a dump of all its metrics): what the job's group committed on the raw topic and what the job
 * committed to the clean topic, both moving once per checkpoint.
 */
final class KafkaSampler implements AutoCloseable {

  /**
   * One read of Kafka. A failed read keeps the last retention and dead letters and has no lag; the
   * rates are those computed before the failure.
   *
   * @param lag per partition, empty when Kafka did not answer
   * @param retention the last read (at most every table-interval)
   * @param deadLetters the last read
   * @param recordsIn raw records per second the job committed reading, null when unknown
   * @param recordsOut clean records per second the job committed, null when unknown
   */
  record Reading(
      List<KafkaSource.PartitionLag> lag,
      KafkaSource.Retention retention,
      KafkaSource.DeadLetters deadLetters,
      Double recordsIn,
      Double recordsOut) {}

  private final ConsoleSettings config;
  private final KafkaSource kafka;
  private final Rates rates;
  private final SourceHealth health;
  private final ConsoleGauges gauges;
  private KafkaSource.Retention retention;
  private long retentionAt;
  private KafkaSource.DeadLetters deadLetters;

  KafkaSampler(ConsoleSettings config, Rates rates, SourceHealth health, ConsoleGauges gauges) {
    this.config = config;
    this.rates = rates;
    this.health = health;
    this.gauges = gauges;
    this.kafka =
        new KafkaSource(
            config.kafkaBootstrapServers(),
            config.jobGroupId(),
            config.rawTopic(),
            config.dlqTopic(),
            config.cleanTopic(),
            config.sourceTimeout());
  }

  /**
   * Reads Kafka and puts {@code lag.<partition>}, {@code lag.total} and the {@code job.recordsIn},
   * {@code job.recordsOut} rates into {@code values}.
   */
  synchronized Reading sample(Map<String, Double> values, long now) {
    String address = config.kafkaBootstrapServers();
    Double in = null;
    Double out = null;
    try {
      List<KafkaSource.PartitionLag> lag = kafka.lag();
      long total = 0;
      long committed = 0;
      for (KafkaSource.PartitionLag p : lag) {
        values.put("lag." + p.partition(), (double) p.lag());
        total += p.lag();
        committed += p.committed();
      }
      values.put("lag.total", (double) total);
      // the oldest unread record is read from Kafka: not more often than the table is read
      if (now - retentionAt >= config.tableInterval().toMillis()) {
        retention = kafka.retention(lag, now);
        retentionAt = now;
      }
      in = rates.rate(values, "job.recordsIn", committed, now);
      out = rates.rate(values, "job.recordsOut", kafka.cleanRecords(), now);
      deadLetters = kafka.deadLetters();
      deadLetters.byReason().forEach(gauges::deadLetters);
      health.up("kafka", "kafka", address, now);
      return new Reading(lag, retention, deadLetters, in, out);
    } catch (IOException | RuntimeException e) {
      rates.forget("job.records");
      health.down("kafka", "kafka", address, e, now);
      return new Reading(List.of(), retention, deadLetters, in, out);
    }
  }

  @Override
  public synchronized void close() {
    kafka.close();
  }
}
