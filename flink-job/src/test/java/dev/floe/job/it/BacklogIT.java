package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.JobMetrics;
import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.junit.FloeStack;
import dev.floe.infra.process.Processes;
import dev.floe.job.FloeJobMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Commits follow the load: while the source drains a backlog the job checkpoints (and commits) at
 * floe.checkpoint.interval-during-backlog, and says so in the source's gauges; once caught up it is
 * back at floe.checkpoint.interval.
 */
@FloeStack({Service.KAFKA, Service.POSTGRES})
class BacklogIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final int BACKLOG = 60_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aBacklogIsCommittedAtTheBacklogIntervalThenFreshEventsAtTheRegularOne(EmbeddedStack stack)
      throws Exception {
    Pipelines p = new Pipelines(stack, "backlog");
    // an hour-old backlog: every record is older than the backlog threshold
    produce(p, BACKLOG, Instant.now().minus(Duration.ofHours(1)));

    int port = Processes.freePort();
    String rest = "http://127.0.0.1:" + port;
    JobClient job =
        FloeJobMain.start(
            p.settings(
                "--floe.checkpoint.interval-during-backlog", "1h",
                "--rest.bind-port", String.valueOf(port),
                "--metrics.fetcher.update-interval", "100",
                "--web.checkpoints.history", "1000"));
    AtomicLong maxBacklog = new AtomicLong(-1);
    AtomicLong maxInterval = new AtomicLong(-1);
    // wall-clock span in which the gauges said "backlog"
    AtomicLong backlogFrom = new AtomicLong(Long.MAX_VALUE);
    AtomicLong backlogTo = new AtomicLong(Long.MIN_VALUE);
    // records the source had read when the gauges first said "caught up" after "backlog"
    AtomicLong readAtSwitch = new AtomicLong(-1);
    AtomicLong lastBacklog = new AtomicLong(-1);
    // samples the gauges at a fixed rate while the job drains
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleAtFixedRate(
        () ->
            gauges(rest, job.getJobID().toString())
                .ifPresent(
                    g -> {
                      maxBacklog.accumulateAndGet(g[0], Math::max);
                      maxInterval.accumulateAndGet(g[1], Math::max);
                      if (g[0] == 1) {
                        long now = System.currentTimeMillis();
                        backlogFrom.accumulateAndGet(now, Math::min);
                        backlogTo.accumulateAndGet(now, Math::max);
                      } else if (lastBacklog.get() == 1) {
                        readAtSwitch.compareAndSet(-1, g[2]);
                      }
                      lastBacklog.set(g[0]);
                    }),
        0,
        50,
        TimeUnit.MILLISECONDS);
    try {
      await().atMost(TIMEOUT).until(() -> p.committedRows() >= BACKLOG);
      // no checkpoint (so no commit) was triggered while draining (the backlog interval is an
      // hour): none inside the span the gauges said "backlog", less a second at each end for the
      // gauges' sampling. (One triggered just before the switch may complete seconds later, its
      // barrier queued behind the backlog, so commit times would not tell.)
      assertThat(checkpointTriggerTimes(rest, job.getJobID().toString()))
          .isNotEmpty()
          .noneMatch(t -> t > backlogFrom.get() + 1000 && t < backlogTo.get() - 1000);

      // caught up: back at the regular interval, and the gauges say so
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  gauges(rest, job.getJobID().toString())
                      .map(g -> g[0] == 0 && g[1] == 500)
                      .orElse(false));
      assertThat(maxBacklog.get()).isEqualTo(1);
      assertThat(maxInterval.get()).isEqualTo(Duration.ofHours(1).toMillis());
      // the end of the backlog was told before its last records were read (by the records left,
      // not by the silence after them), so the checkpoint that commits them is not an interval late
      assertThat(readAtSwitch.get()).isBetween(0L, (long) BACKLOG - 1);

      // fresh events commit at the regular interval
      produce(p, 10, Instant.now());
      await().atMost(Duration.ofSeconds(60)).until(() -> p.committedRows() >= BACKLOG + 10);
    } finally {
      watcher.shutdownNow();
      Pipelines.cancel(job);
    }
  }

  /** Trigger times of the job's completed checkpoints (the REST history). */
  private static List<Long> checkpointTriggerTimes(String rest, String jobId) throws Exception {
    List<Long> times = new ArrayList<>();
    for (JsonNode c : get(rest + "/jobs/" + jobId + "/checkpoints").path("history")) {
      if ("COMPLETED".equals(c.path("status").asText())) {
        times.add(c.path("trigger_timestamp").asLong());
      }
    }
    return times;
  }

  /**
   * [processingBacklog, commitIntervalMs] (the maximum over the source's subtasks) and the records
   * the source has emitted (their sum), from one snapshot of the metrics.
   */
  private static java.util.Optional<long[]> gauges(String rest, String jobId) {
    try {
      String vertex = null;
      for (JsonNode v : get(rest + "/jobs/" + jobId).path("vertices")) {
        if (v.path("name").asText().startsWith("Source: events-raw-source")) {
          vertex = v.path("id").asText();
        }
      }
      String metrics = rest + "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics";
      String backlog = null;
      String interval = null;
      String read = null;
      for (JsonNode m : get(metrics)) {
        String id = m.path("id").asText();
        if (id.endsWith(JobMetrics.restSuffix(JobMetrics.PROCESSING_BACKLOG_GAUGE))) {
          backlog = id;
        } else if (id.endsWith(JobMetrics.restSuffix(JobMetrics.COMMIT_INTERVAL_GAUGE))) {
          interval = id;
        } else if (id.equals("numRecordsOut")) {
          read = id;
        }
      }
      if (backlog == null || interval == null || read == null) {
        return java.util.Optional.empty();
      }
      long[] out = {-1, -1, -1};
      for (JsonNode m :
          get(metrics + "?agg=max,sum&get=" + backlog + "," + interval + "," + read)) {
        String id = m.path("id").asText();
        if (id.equals(backlog)) {
          out[0] = (long) m.path("max").asDouble();
        } else if (id.equals(interval)) {
          out[1] = (long) m.path("max").asDouble();
        } else {
          out[2] = (long) m.path("sum").asDouble();
        }
      }
      return out[0] < 0 || out[1] < 0 || out[2] < 0
          ? java.util.Optional.empty()
          : java.util.Optional.of(out);
    } catch (Exception e) {
      return java.util.Optional.empty();
    }
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
    return Pipelines.JSON.readTree(response.body());
  }

  private static void produce(Pipelines p, int count, Instant timestamp) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.stack.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        String id = UUID.randomUUID().toString();
        String json =
            "{\"eventId\":\""
                + id
                + "\",\"type\":\"click\",\"occurredAt\":\""
                + timestamp
                + "\",\"source\":\"backlog-it\"}";
        producer.send(
            new ProducerRecord<>(
                p.raw,
                null,
                timestamp.toEpochMilli(),
                id.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }
}
