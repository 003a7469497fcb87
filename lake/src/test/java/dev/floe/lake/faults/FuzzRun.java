package dev.floe.lake.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.contract.DeadLetter;
import dev.floe.view.DeadLetterReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The fuzz runs: generated bodies against {@code POST /events}, and generated records written
 * straight into {@code events.raw}; then the table and the dead-letter topic are checked against
 * what was accepted.
 */
final class FuzzRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SETTLE_WITHIN = Duration.ofMinutes(5);

  private final FaultLake lake;
  private final Consumer<String> log;
  private final FuzzCases cases = new FuzzCases();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  FuzzRun(FaultLake lake, Consumer<String> log) {
    this.lake = lake;
    this.log = log;
  }

  /**
   * The figures of one target and what went wrong. For {@code http}: {@code accepted} bodies
   * answered 202 (a batch carries several events), {@code lost} accepted events missing from the
   * table, {@code dead_letters} accepted events the job dead-lettered. For {@code raw}: {@code
   * accepted} records that became rows, {@code dead_letters} records in events.dlq, {@code
   * server_errors} restarts of the job (of its process, plus one if it failed inside its cluster),
   * {@code lost} records in neither.
   */
  record Outcome(
      String target,
      long cases,
      long accepted,
      long rejected4xx,
      long serverErrors,
      long deadLetters,
      long lost,
      Map<String, Long> kinds,
      List<String> failures) {

    boolean passed() {
      return failures.isEmpty() && serverErrors == 0 && lost == 0;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "FLOE-FUZZ target=%s cases=%d accepted=%d rejected_4xx=%d server_errors=%d"
              + " dead_letters=%d lost=%d",
          target,
          cases,
          accepted,
          rejected4xx,
          serverErrors,
          deadLetters,
          lost);
    }
  }

  /** {@code n} generated bodies against the producers, 4 at a time. */
  Outcome http(int n, long seed) throws Exception {
    List<FuzzCases.HttpCase> drawn = cases.http(n, seed);
    long rowsBefore = tableRows();
    Map<TopicPartition, Long> dlqStart = lake.endOffsets(FaultLake.DLQ);
    Set<UUID> accepted = ConcurrentHashMap.newKeySet();
    AtomicLong acceptedCases = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong serverErrors = new AtomicLong();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < drawn.size(); i++) {
        FuzzCases.HttpCase c = drawn.get(i);
        String producer = lake.producerUrls().get(i % lake.producerUrls().size());
        futures.add(
            pool.submit(
                () ->
                    send(producer, c, accepted, acceptedCases, rejected, serverErrors, failures)));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    // every accepted event is in the table, and nothing else arrived
    long found = awaitIds(accepted);
    long rows = tableRows() - rowsBefore;
    List<DeadLetterReader.Letter> dead = deadLetters(dlqStart);
    if (rows != accepted.size()) {
      failures.add(
          "the table grew by " + rows + " rows for " + accepted.size() + " accepted events");
    }
    if (!dead.isEmpty()) {
      failures.add(
          dead.size() + " accepted events went to events.dlq, e.g. " + dead.get(0).reason());
    }
    log.accept(
        "faults: http fuzz: "
            + acceptedCases.get()
            + " bodies answered 202 carried "
            + accepted.size()
            + " events; "
            + found
            + " of them are in lake.events");
    return new Outcome(
        "http",
        n,
        acceptedCases.get(),
        rejected.get(),
        serverErrors.get(),
        dead.size(),
        accepted.size() - found,
        kinds(drawn.stream().map(FuzzCases.HttpCase::kind).toList()),
        new ArrayList<>(failures));
  }

  private void send(
      String producer,
      FuzzCases.HttpCase c,
      Set<UUID> accepted,
      AtomicLong acceptedCases,
      AtomicLong rejected,
      AtomicLong serverErrors,
      List<String> failures) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(producer + "/events"))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
    if (!c.contentType().isEmpty()) {
      b.header("Content-Type", c.contentType());
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      serverErrors.incrementAndGet();
      failures.add(c.kind() + ": no answer (" + e + ")");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int status = r.statusCode();
    JsonNode body = parse(r.body());
    if (status == 202) {
      if (c.expect() == FuzzCases.Expect.REJECT) {
        failures.add(c.kind() + ": an invalid body was accepted: " + abbreviate(c.body()));
      }
      JsonNode ids = body == null ? null : body.get("eventIds");
      if (ids == null || !ids.isArray()) {
        failures.add(c.kind() + ": 202 without eventIds: " + r.body());
        return;
      }
      acceptedCases.incrementAndGet();
      ids.forEach(id -> accepted.add(UUID.fromString(id.asText())));
    } else if (status >= 400 && status < 500) {
      rejected.incrementAndGet();
      if (body == null
          || !body.path("error").isTextual()
          || body.path("error").asText().isBlank()) {
        failures.add(
            c.kind() + ": " + status + " without the JSON error shape: " + abbreviate(r.body()));
      }
      if (c.expect() == FuzzCases.Expect.ACCEPT) {
        failures.add(
            c.kind() + ": a valid body was refused with " + status + ": " + abbreviate(r.body()));
      }
    } else {
      serverErrors.incrementAndGet();
      failures.add(
          c.kind()
              + ": answered "
              + status
              + " "
              + abbreviate(r.body())
              + " to "
              + abbreviate(c.body()));
    }
  }

  /** {@code n} generated records written straight into events.raw. */
  Outcome raw(int n, long seed) throws Exception {
    List<FuzzCases.RawCase> drawn = cases.raw(n, seed);
    long rowsBefore = tableRows();
    Map<TopicPartition, Long> dlqStart = lake.endOffsets(FaultLake.DLQ);
    int supervisorRestarts = lake.restarts(FaultLake.JOB);
    Instant started = Instant.now();
    List<String> failures = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = lake.rawProducer()) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (FuzzCases.RawCase c : drawn) {
        sent.add(producer.send(new ProducerRecord<>(FaultLake.RAW, null, c.value())));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(1, TimeUnit.MINUTES);
      }
    }
    Set<UUID> valid = new HashSet<>();
    Set<UUID> invalid = new HashSet<>();
    long mustDeadLetter = 0;
    for (FuzzCases.RawCase c : drawn) {
      if (c.expect() == FuzzCases.Expect.ACCEPT) {
        valid.add(c.eventId());
      } else if (c.expect() == FuzzCases.Expect.REJECT) {
        mustDeadLetter++;
        if (c.eventId() != null) {
          invalid.add(c.eventId());
        }
      }
    }
    long found = awaitIds(valid);
    awaitSettled();
    long rows = tableRows() - rowsBefore;
    List<DeadLetterReader.Letter> dead = deadLetters(dlqStart);
    Set<String> reasons =
        Arrays.stream(DeadLetter.Reason.values()).map(Enum::name).collect(Collectors.toSet());
    long withoutReason = dead.stream().filter(d -> !reasons.contains(d.reason())).count();
    long invalidInLake = countIds(invalid);
    if (rows + dead.size() != n) {
      failures.add(
          "counts do not add up: "
              + rows
              + " rows + "
              + dead.size()
              + " dead letters for "
              + n
              + " records");
    }
    if (dead.size() < mustDeadLetter) {
      failures.add(dead.size() + " dead letters for " + mustDeadLetter + " invalid records");
    }
    if (withoutReason > 0) {
      failures.add(withoutReason + " dead letters without one of the job's reasons");
    }
    if (invalidInLake > 0) {
      failures.add(invalidInLake + " invalid records reached the table");
    }
    // restarts of the job's process, and at least one inside its cluster if it failed
    long restarts =
        (lake.restarts(FaultLake.JOB) - supervisorRestarts)
            + (lake.jobFailedSince(started) ? 1 : 0);
    if (restarts > 0) {
      failures.add("the job restarted " + restarts + " time(s) during the raw fuzz run");
    }
    long lost = (valid.size() - found) + Math.max(0, n - rows - dead.size());
    return new Outcome(
        "raw",
        n,
        rows,
        0,
        restarts,
        dead.size(),
        lost,
        kinds(drawn.stream().map(FuzzCases.RawCase::kind).toList()),
        failures);
  }

  /** Waits until the ids are in the table (or the deadline); returns how many are. */
  private long awaitIds(Set<UUID> ids) {
    FaultScenarios.poll(SETTLE_WITHIN, Duration.ofSeconds(1), () -> countIds(ids) >= ids.size());
    awaitSettled();
    return countIds(ids);
  }

  /** Until the job committed everything it read from events.raw. */
  private void awaitSettled() {
    FaultScenarios.poll(SETTLE_WITHIN, Duration.ofMillis(500), () -> lake.jobLag() == 0);
  }

  private long countIds(Set<UUID> ids) {
    List<UUID> all = new ArrayList<>(ids);
    long found = 0;
    for (int i = 0; i < all.size(); i += 500) {
      StringBuilder in = new StringBuilder();
      for (UUID id : all.subList(i, Math.min(all.size(), i + 500))) {
        in.append(in.length() == 0 ? "'" : ",'").append(id).append('\'');
      }
      long c =
          lake.count(
              "SELECT count(*) FROM " + FaultLake.TABLE + " WHERE event_id IN (" + in + ")", null);
      if (c < 0) {
        return found; // Trino did not answer: try again later
      }
      found += c;
    }
    return found;
  }

  private long tableRows() {
    awaitSettled();
    String sql = "SELECT count(*) FROM " + FaultLake.TABLE;
    FaultScenarios.poll(SETTLE_WITHIN, Duration.ofSeconds(1), () -> lake.count(sql, null) >= 0);
    return lake.count(sql, null);
  }

  private List<DeadLetterReader.Letter> deadLetters(Map<TopicPartition, Long> from) {
    List<DeadLetterReader.Letter> out = new ArrayList<>();
    lake.read(FaultLake.DLQ, from, r -> out.add(DeadLetterReader.Letter.of(r)));
    return out;
  }

  private static Map<String, Long> kinds(List<String> kinds) {
    Map<String, Long> out = new LinkedHashMap<>();
    kinds.stream().sorted().forEach(k -> out.merge(k, 1L, Long::sum));
    return out;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isEmpty() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String abbreviate(Object o) {
    String s =
        o instanceof byte[] b
            ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
            : String.valueOf(o);
    return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " chars)";
  }
}
