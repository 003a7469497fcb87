package dev.floe.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.JobMetrics;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Flink job through its REST API: which job runs, its checkpoints, its latest failure, its
 * restarts, and its own metrics ({@link JobMetrics}) summed or maxed over subtasks. Which vertex
 * carries which metric is found once per job id and kept, so a repeated read costs a handful of
 * requests. Not thread-safe: one reader a thread.
 */
public final class FlinkRest {

  private final Http http;
  private final String base;
  private String discoveredFor;

  /** vertex id to (metric name to full metric id) */
  private final Map<String, Map<String, String>> metricIds = new LinkedHashMap<>();

  /**
   * A reader of one Flink REST endpoint.
   *
   * @param http the client (its deadline applies to every request)
   * @param base e.g. http://127.0.0.1:8089
   */
  public FlinkRest(Http http, String base) {
    this.http = http;
    this.base = base;
  }

  /**
   * A job of {@code /jobs/overview}.
   *
   * @param id the job id
   * @param name its name
   * @param state RUNNING, RESTARTING, ...
   */
  public record Job(String id, String name, String state) {}

  /**
   * The job's checkpoints ({@code /jobs/<id>/checkpoints}).
   *
   * @param completedId the last completed checkpoint, null when none completed
   * @param completedAt when it completed (its latest acknowledgement, epoch ms)
   * @param durationMs its end-to-end duration
   * @param checkpointedSizeBytes its size as checkpointed (the incremental size)
   * @param stateSizeBytes the full state size
   * @param failed checkpoints that failed since the job started, null when not reported
   */
  public record Checkpoints(
      Long completedId,
      Long completedAt,
      Long durationMs,
      Long checkpointedSizeBytes,
      Long stateSizeBytes,
      Long failed) {}

  /**
   * A completed checkpoint of the REST API's recent history (not a savepoint).
   *
   * @param id its id
   * @param completedAt its latest acknowledgement, epoch ms
   * @param durationMs its end-to-end duration
   */
  public record CompletedCheckpoint(long id, long completedAt, long durationMs) {}

  /**
   * The job's latest failure.
   *
   * @param at when it failed
   * @param cause its innermost cause (a full disk says "No space left on device")
   */
  public record Failure(Instant at, String cause) {}

  /**
   * The running job, else the newest one.
   *
   * @return the job
   * @throws IOException when the REST API does not answer, or there is no job
   */
  public Job job() throws IOException {
    JsonNode chosen = null;
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
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
    return new Job(
        chosen.path("jid").asText(), chosen.path("name").asText(), chosen.path("state").asText());
  }

  /**
   * The job's checkpoints.
   *
   * @param jobId the job
   * @return its checkpoint counts and the last completed one
   * @throws IOException when the REST API does not answer
   */
  public Checkpoints checkpoints(String jobId) throws IOException {
    JsonNode checkpoints = get("/jobs/" + jobId + "/checkpoints");
    JsonNode latest = checkpoints.path("latest").path("completed");
    boolean has = latest.isObject();
    return new Checkpoints(
        has ? latest.path("id").asLong() : null,
        has ? latest.path("latest_ack_timestamp").asLong() : null,
        has ? latest.path("end_to_end_duration").asLong() : null,
        has ? latest.path("checkpointed_size").asLong() : null,
        has ? latest.path("state_size").asLong() : null,
        checkpoints.path("counts").has("failed")
            ? checkpoints.path("counts").path("failed").asLong()
            : null);
  }

  /**
   * The completed checkpoints the REST API still lists in its history (its most recent ones; how
   * many is Flink's {@code web.checkpoints.history}), savepoints left out.
   *
   * @param jobId the job
   * @return the checkpoints, as listed (newest first)
   * @throws IOException when the REST API does not answer
   */
  public List<CompletedCheckpoint> completedCheckpoints(String jobId) throws IOException {
    List<CompletedCheckpoint> out = new ArrayList<>();
    for (JsonNode h : get("/jobs/" + jobId + "/checkpoints").path("history")) {
      if ("COMPLETED".equals(h.path("status").asText()) && !h.path("is_savepoint").asBoolean()) {
        out.add(
            new CompletedCheckpoint(
                h.path("id").asLong(),
                h.path("latest_ack_timestamp").asLong(),
                h.path("end_to_end_duration").asLong()));
      }
    }
    return out;
  }

  /**
   * The job's latest failure, with its innermost cause.
   *
   * @param jobId the job
   * @return the failure, empty when the job never failed
   * @throws IOException when the REST API does not answer
   */
  public Optional<Failure> lastFailure(String jobId) throws IOException {
    JsonNode entries =
        get("/jobs/" + jobId + "/exceptions?maxExceptions=1")
            .path("exceptionHistory")
            .path("entries");
    if (!entries.isArray() || entries.isEmpty()) {
      return Optional.empty();
    }
    JsonNode latest = entries.get(0);
    String[] lines = latest.path("stacktrace").asText("").split("\n");
    String cause = lines[0].isBlank() ? latest.path("exceptionName").asText() : lines[0];
    for (String line : lines) {
      if (line.startsWith("Caused by: ")) {
        cause = line.substring("Caused by: ".length());
      }
    }
    return Optional.of(new Failure(Instant.ofEpochMilli(latest.path("timestamp").asLong()), cause));
  }

  /**
   * Restarts of the job inside its cluster since it was submitted (its {@code numRestarts}).
   *
   * @param jobId the job
   * @return the restarts, empty when not reported
   * @throws IOException when the REST API does not answer
   */
  public Optional<Long> restarts(String jobId) throws IOException {
    for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      if ("numRestarts".equals(m.path("id").asText())) {
        return Optional.of(m.path("value").asLong());
      }
    }
    return Optional.empty();
  }

  /**
   * The job's parallelism: the largest of its vertices'.
   *
   * @param jobId the job
   * @return the parallelism, 0 without vertices
   * @throws IOException when the REST API does not answer
   */
  public int parallelism(String jobId) throws IOException {
    int max = 0;
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      max = Math.max(max, v.path("parallelism").asInt());
    }
    return max;
  }

  /**
   * The job's own metrics, each summed or maxed over the subtasks of the vertices that register it
   * ({@link JobMetrics#summed}). The vertices' metrics are looked up on the first call for a job
   * id; a metric no vertex registered then is left out until {@link #discover} looks again.
   *
   * @param jobId the job
   * @param names the metrics wanted, names of {@link JobMetrics}
   * @return metric name to value
   * @throws IOException when the REST API does not answer
   */
  public Map<String, Double> metrics(String jobId, Collection<String> names) throws IOException {
    if (!jobId.equals(discoveredFor)) {
      discover(jobId, names);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> v : metricIds.entrySet()) {
      Map<String, String> wanted = new LinkedHashMap<>(v.getValue());
      wanted.keySet().retainAll(names);
      if (wanted.isEmpty()) {
        continue;
      }
      String get = URLEncoder.encode(String.join(",", wanted.values()), StandardCharsets.UTF_8);
      for (JsonNode m :
          get(
              "/jobs/"
                  + jobId
                  + "/vertices/"
                  + v.getKey()
                  + "/subtasks/metrics?agg=sum,max&get="
                  + get)) {
        String id = m.path("id").asText();
        wanted.forEach(
            (name, fullId) -> {
              if (fullId.equals(id)) {
                boolean sum = JobMetrics.summed(name);
                metrics.merge(
                    name, m.path(sum ? "sum" : "max").asDouble(), sum ? Double::sum : Math::max);
              }
            });
      }
    }
    return metrics;
  }

  /**
   * Whether every metric's vertex is known for this job (else {@link #discover} may find the
   * missing ones: a caller that reads often looks again every few seconds, not on every read).
   *
   * @param jobId the job
   * @param names the metrics wanted
   * @return true when every metric's vertex is known for this job
   */
  public boolean knows(String jobId, Collection<String> names) {
    return jobId.equals(discoveredFor)
        && names.stream()
            .allMatch(n -> metricIds.values().stream().anyMatch(v -> v.containsKey(n)));
  }

  /**
   * Looks up which vertex registers which of the metrics (one request per vertex).
   *
   * @param jobId the job
   * @param names the metrics wanted
   * @throws IOException when the REST API does not answer
   */
  public void discover(String jobId, Collection<String> names) throws IOException {
    List<String> vertices = new ArrayList<>();
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      vertices.add(v.path("id").asText());
    }
    metricIds.clear();
    discoveredFor = jobId;
    for (String vertex : vertices) {
      Map<String, String> ids = new LinkedHashMap<>();
      for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics")) {
        String id = m.path("id").asText();
        for (String name : names) {
          if (id.endsWith(JobMetrics.restSuffix(name))) {
            ids.put(name, id);
          }
        }
      }
      metricIds.put(vertex, ids);
    }
  }

  private JsonNode get(String path) throws IOException {
    return http.json(base + path, Optional.empty());
  }
}
