package dev.floe.console.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Flink job through its REST API: state and restarts, the last completed checkpoint, and the
 * job's own metrics of group {@code floe} summed (counters) or maxed (gauges) over subtasks. Which
 * vertex carries which metric is found once per job id, so a sample costs a handful of requests.
 */
public final class FlinkSource {

  /** Counters summed over subtasks. */
  static final List<String> COUNTERS = List.of("floe.recordsIn", "floe.cleanOut");

  /** Gauges: the maximum over subtasks (p99, commit interval) or the sum (events in the window). */
  static final List<String> GAUGES =
      List.of(
          "floe.freshnessP50Ms",
          "floe.freshnessP99Ms",
          "floe.freshnessEvents",
          "floe.commitIntervalMs",
          "floe.processingBacklog");

  private final Http http;
  private final String base;
  private String jobId;
  private long discoveredAt;

  /** vertex id -> (short name -> full metric id) */
  private final Map<String, Map<String, String>> metricIds = new LinkedHashMap<>();

  /**
   * A source on a REST base URL.
   *
   * @param http the client
   * @param base e.g. http://127.0.0.1:8089
   */
  public FlinkSource(Http http, String base) {
    this.http = http;
    this.base = base;
  }

  /**
   * What one sample of the job says.
   *
   * @param jobId the job id
   * @param name the job's name
   * @param state RUNNING, RESTARTING, ...
   * @param restarts restarts since the job was submitted, when known
   * @param metrics the floe metrics by short name (e.g. floe.recordsIn), summed or maxed
   * @param checkpointId the last completed checkpoint, or null
   * @param checkpointAt when it completed (epoch ms)
   * @param checkpointDurationMs its end-to-end duration
   * @param checkpointSizeBytes its size (checkpointed, i.e. incremental size)
   * @param stateSizeBytes the full state size
   * @param checkpointsFailed checkpoints that failed since the job started
   * @param lastFailure the job's latest failure as "time cause" (its innermost cause: a full disk
   *     says No space left on device), null when it never failed or was not read
   */
  public record JobSample(
      String jobId,
      String name,
      String state,
      Long restarts,
      Map<String, Double> metrics,
      Long checkpointId,
      Long checkpointAt,
      Long checkpointDurationMs,
      Long checkpointSizeBytes,
      Long stateSizeBytes,
      Long checkpointsFailed,
      String lastFailure) {}

  /**
   * Samples the running job (else the newest one). Its metric values come from the REST API's
   * metric fetcher, which dumps every metric of the job from the task managers when its cache is
   * older than {@code metrics.fetcher.update-interval}: a dump every second cost the job about 10 %
   * of a core at 1,000 events/s (measured), so they are asked for only every few samples.
   *
   * @param withMetrics whether to read the floe.* metrics and the restart count too
   * @return the sample
   * @throws IOException when the REST API does not answer, or there is no job
   */
  public JobSample sample(boolean withMetrics) throws IOException {
    JsonNode chosen = null;
    for (JsonNode job : http.json(base + "/jobs/overview", Optional.empty()).path("jobs")) {
      if (chosen == null
          || "RUNNING".equals(job.path("state").asText())
          || (!"RUNNING".equals(chosen.path("state").asText())
              && job.path("start-time").asLong() > chosen.path("start-time").asLong())) {
        chosen = job;
      }
    }
    if (chosen == null) {
      throw new IOException("no job on " + base);
    }
    String jid = chosen.path("jid").asText();
    if (!jid.equals(jobId)) {
      jobId = jid;
      metricIds.clear();
      discoveredAt = 0;
    }
    long now = System.currentTimeMillis();
    int wanted = COUNTERS.size() + GAUGES.size();
    if (withMetrics
        && metricIds.values().stream().mapToInt(Map::size).sum() < wanted
        && now - discoveredAt > 5_000) {
      discover();
      discoveredAt = now;
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> v : metricIds.entrySet()) {
      if (!withMetrics || v.getValue().isEmpty()) {
        continue;
      }
      String get =
          URLEncoder.encode(String.join(",", v.getValue().values()), StandardCharsets.UTF_8);
      JsonNode values =
          http.json(
              base
                  + "/jobs/"
                  + jid
                  + "/vertices/"
                  + v.getKey()
                  + "/subtasks/metrics?agg=sum,max&get="
                  + get,
              Optional.empty());
      for (JsonNode m : values) {
        String id = m.path("id").asText();
        v.getValue()
            .forEach(
                (shortName, fullId) -> {
                  if (fullId.equals(id)) {
                    boolean sum =
                        COUNTERS.contains(shortName) || shortName.equals("floe.freshnessEvents");
                    metrics.merge(
                        shortName,
                        m.path(sum ? "sum" : "max").asDouble(),
                        sum ? Double::sum : Math::max);
                  }
                });
      }
    }
    Long restarts = null;
    if (withMetrics) {
      for (JsonNode m :
          http.json(base + "/jobs/" + jid + "/metrics?get=numRestarts", Optional.empty())) {
        if ("numRestarts".equals(m.path("id").asText())) {
          restarts = m.path("value").asLong();
        }
      }
    }
    String lastFailure = null;
    if (withMetrics) {
      JsonNode entries =
          http.json(base + "/jobs/" + jid + "/exceptions?maxExceptions=1", Optional.empty())
              .path("exceptionHistory")
              .path("entries");
      if (entries.isArray() && !entries.isEmpty()) {
        String[] lines = entries.get(0).path("stacktrace").asText("").split("\n");
        String cause =
            lines[0].isBlank() ? entries.get(0).path("exceptionName").asText() : lines[0];
        for (String line : lines) {
          if (line.startsWith("Caused by: ")) {
            cause = line.substring("Caused by: ".length());
          }
        }
        lastFailure =
            java.time.Instant.ofEpochMilli(entries.get(0).path("timestamp").asLong()) + " " + cause;
      }
    }
    JsonNode checkpoints = http.json(base + "/jobs/" + jid + "/checkpoints", Optional.empty());
    JsonNode latest = checkpoints.path("latest").path("completed");
    boolean has = latest.isObject();
    return new JobSample(
        jid,
        chosen.path("name").asText(),
        chosen.path("state").asText(),
        restarts,
        metrics,
        has ? latest.path("id").asLong() : null,
        has ? latest.path("latest_ack_timestamp").asLong() : null,
        has ? latest.path("end_to_end_duration").asLong() : null,
        has ? latest.path("checkpointed_size").asLong() : null,
        has ? latest.path("state_size").asLong() : null,
        checkpoints.path("counts").has("failed")
            ? checkpoints.path("counts").path("failed").asLong()
            : null,
        lastFailure);
  }

  private void discover() throws IOException {
    List<String> vertices = new ArrayList<>();
    for (JsonNode v : http.json(base + "/jobs/" + jobId, Optional.empty()).path("vertices")) {
      vertices.add(v.path("id").asText());
    }
    metricIds.clear();
    for (String vertex : vertices) {
      Map<String, String> ids = new LinkedHashMap<>();
      for (JsonNode m :
          http.json(
              base + "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics",
              Optional.empty())) {
        String id = m.path("id").asText();
        for (String name : COUNTERS) {
          if (id.endsWith(name)) {
            ids.put(name, id);
          }
        }
        for (String name : GAUGES) {
          if (id.endsWith(name)) {
            ids.put(name, id);
          }
        }
      }
      metricIds.put(vertex, ids);
    }
  }
}
