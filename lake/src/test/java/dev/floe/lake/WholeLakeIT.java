package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.contract.RepositoryDocs;
import dev.floe.infra.StackSettings;
import dev.floe.infra.process.Processes;
import dev.floe.view.DeadLetterReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole lake started the way {@code ./floe up} starts it (same {@link Lake} code, two producer
 * replicas, generator off so that every row in the table is the test's own), used over HTTP like a
 * user does: POST /events to the producers, GET /query on the query-service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeLakeIT {

  private static final Duration VISIBLE_WITHIN = Duration.ofMinutes(3);

  private static LakeSettings settings;
  private static Lake lake;
  private static LakeClient client;

  @BeforeAll
  static void startLake() throws Exception {
    Path home = Path.of(System.getProperty("floe.home", "..")).toAbsolutePath().normalize();
    Path dataDir = Path.of("target", "lake-it", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(dataDir);
    settings =
        LakeSettings.builder(StackSettings.forTests(dataDir))
            .home(home)
            .producerPorts(List.of(Processes.freePort(), Processes.freePort()))
            .queryPort(Processes.freePort())
            .flinkRestPort(Processes.freePort())
            .generatorRate(0)
            .build();
    lake = Lake.start(settings, System.out::println);
    client = new LakeClient(lake.queryUrl());
  }

  @AfterAll
  static void stopLake() {
    if (lake != null) {
      lake.close();
    }
  }

  /**
   * Closed by default: no process of the lake listens beyond loopback. The sockets come from the
   * kernel's tables, for every process the lake started (the platform's children included), and the
   * scan must see the lake's own ports, so it cannot pass by finding nothing.
   */
  @Test
  @Order(0)
  void everyListeningSocketOfTheLakeIsOnLoopback() throws java.io.IOException {
    // the lake's children and theirs; pg_ctl detaches the postmaster, found by its own pid file
    List<ProcessHandle> roots = new ArrayList<>(ProcessHandle.current().descendants().toList());
    try (var files = Files.walk(settings.dataDir())) {
      for (Path pidFile : files.filter(f -> f.endsWith("postmaster.pid")).toList()) {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle.of(pid).ifPresent(roots::add);
      }
    }
    List<Long> pids =
        roots.stream()
            .flatMap(
                h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants()))
            .map(ProcessHandle::pid)
            .distinct()
            .toList();
    List<ListeningSockets.Listener> listeners = ListeningSockets.of(pids);
    Set<Integer> ports =
        listeners.stream().map(ListeningSockets.Listener::port).collect(Collectors.toSet());
    List<Integer> expected = new ArrayList<>(settings.producerPorts());
    expected.addAll(
        List.of(
            settings.queryPort(),
            settings.flinkRestPort(),
            java.net.URI.create(lake.consoleUrl()).getPort(),
            settings.stack().kafkaPort(),
            settings.stack().postgresPort(),
            settings.stack().trinoPort()));
    assertThat(ports).as("the scan sees the lake's own ports").containsAll(expected);
    System.out.println("listening sockets of the lake: " + listeners);
    assertThat(listeners).as("listeners beyond loopback").filteredOn(l -> !l.loopback()).isEmpty();
  }

  /** The job is started by the launcher, never uploaded: Flink's REST API takes no jar. */
  @Test
  @Order(0)
  void flinkRefusesJarUploads() throws Exception {
    String boundary = "floe-" + UUID.randomUUID();
    byte[] body =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"x.jar\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\nPK\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> upload =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(lake.flinkRestUrl() + "/jars/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode())
        .as("POST /jars/upload: %s", upload.body())
        .isGreaterThanOrEqualTo(400);
    assertThat(
            JsonHttp.getJson(lake.flinkRestUrl() + "/config")
                .path("features")
                .path("web-submit")
                .asBoolean(true))
        .as("web submission is off")
        .isFalse();
  }

  /**
   * The catalog-service runs with the lake and serves the job's table to other engines: config, the
   * namespace, the table with its current metadata; a write without the admin token is refused and
   * changes nothing.
   */
  @Test
  @Order(0)
  void theCatalogServiceServesTheJobsTableAndRefusesWrites() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String table = lake.catalogUrl() + "/v1/namespaces/lake/tables/events";
    java.util.function.Function<String, java.net.http.HttpResponse<String>> get =
        url -> {
          try {
            return http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        };
    assertThat(get.apply(lake.catalogUrl() + "/v1/config").statusCode()).isEqualTo(200);
    assertThat(get.apply(lake.catalogUrl() + "/v1/namespaces").body()).contains("[\"lake\"]");
    await("lake.events through the REST catalog")
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> get.apply(table).statusCode() == 200);
    var loaded =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(get.apply(table).body());
    String location = loaded.path("metadata-location").asText();
    assertThat(location).endsWith(".metadata.json").contains("/warehouse/");
    int schemaFields = loaded.path("metadata").path("schemas").size();

    java.net.http.HttpResponse<String> drop =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(table)).DELETE().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(drop.statusCode()).isEqualTo(403);
    assertThat(drop.body()).contains("ForbiddenException").contains("floe.catalog.admin-token");
    java.net.http.HttpResponse<String> create =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(lake.catalogUrl() + "/v1/namespaces/lake/tables"))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"intruder\",\"schema\":{\"type\":\"struct\","
                            + "\"schema-id\":0,\"fields\":[]}}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(get.apply(table).statusCode()).isEqualTo(200);
    assertThat(get.apply(lake.catalogUrl() + "/v1/namespaces/lake/tables/intruder").statusCode())
        .isEqualTo(404);
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get.apply(table).body())
                .path("metadata")
                .path("schemas")
                .size())
        .isEqualTo(schemaFields);
  }

  @Test
  @Order(1)
  void postedEventsComeBackOnceAndBadRecordsGoToTheDeadLetterTopic() throws Exception {
    String tag = Long.toHexString(System.nanoTime());
    String type = "e2e_" + tag;
    String p1 = lake.producerUrls().get(0);
    String p2 = lake.producerUrls().get(1);

    ObjectNode single =
        LakeClient.event(
            id(), type, "user-1", "2026-01-02T03:04:05Z", Map.of("page", "/home", "n", 1));
    List<ObjectNode> batch =
        List.of(
            LakeClient.event(id(), type, "user-2", "2026-01-02T03:04:06Z", Map.of("page", "/a")),
            LakeClient.event(id(), type, null, "2026-01-02T03:04:07Z", null),
            LakeClient.event(id(), type, "user-1", "2026-01-02T03:04:08.123Z", Map.of("ok", true)));

    assertThat(client.post(p1, single).status()).isEqualTo(202);
    assertThat(client.post(p2, LakeClient.batch(batch)).status()).isEqualTo(202);
    // a client that did not see the 202 retries, here through the other replica
    assertThat(client.post(p2, single).status()).isEqualTo(202);
    assertThat(client.post(p1, LakeClient.batch(batch)).status()).isEqualTo(202);

    // invalid HTTP bodies are refused with 400 and never reach the lake
    String refusedId = id();
    List<String> invalidBodies =
        List.of(
            "{\"type\": \"" + type + "\", ",
            "{\"eventId\": \"" + refusedId + "\", \"type\": \"" + type + "\"}",
            "{\"type\": \"Not A Type\", \"occurredAt\": \"2026-01-02T03:04:05Z\"}",
            "[{\"eventId\": \""
                + refusedId
                + "\", \"type\": \""
                + type
                + "\", \"occurredAt\": \"yesterday\"}]",
            "42");
    for (String body : invalidBodies) {
      LakeClient.Answer answer = client.post(p1, body);
      assertThat(answer.status()).as("POST %s", body).isEqualTo(400);
      assertThat(answer.json().path("error").asText()).as("error of %s", body).isNotBlank();
    }

    // records that bypass the producers' validation
    Map<String, String> malformed =
        Map.of(
            "MALFORMED_JSON", "{not json " + tag,
            "MISSING_OCCURRED_AT",
                "{\"eventId\":\""
                    + id()
                    + "\",\"type\":\""
                    + type
                    + "\",\"properties\":{\"tag\":\""
                    + tag
                    + "\"}}",
            "INVALID_EVENT_ID",
                "{\"eventId\":\"not-a-uuid-"
                    + tag
                    + "\",\"type\":\""
                    + type
                    + "\",\"occurredAt\":\"2026-01-02T03:04:05Z\"}");
    injectRaw(malformed.values());

    List<List<String>> expected = new ArrayList<>();
    expected.add(row(single, "producer-1"));
    batch.forEach(e -> expected.add(row(e, "producer-2")));
    expected.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    String sql =
        "SELECT event_id, type, user_id, CAST(to_unixtime(occurred_at) * 1000 AS bigint),"
            + " element_at(properties, 'page'),"
            + " source FROM events WHERE type = '"
            + type
            + "' ORDER BY event_id";
    await("the four distinct events in lake.events")
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> client.rows(sql, 100).size() >= expected.size());
    assertThat(client.rows(sql, 100)).containsExactlyElementsOf(expected);
    assertThat(client.rows("SELECT count(*) FROM events WHERE event_id = '" + refusedId + "'", 10))
        .containsExactly(List.of("0"));

    await("the malformed records in events.dlq with their reasons")
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> deadLettersWith(tag).size() == malformed.size());
    Map<String, String> reasons =
        deadLettersWith(tag).stream()
            .collect(Collectors.toMap(DeadLetterReader.Letter::reason, d -> d.payload()));
    assertThat(reasons).isEqualTo(malformed);
    assertThat(deadLettersWith(tag))
        .allSatisfy(d -> assertThat(d.from()).startsWith("events.raw/"))
        .allSatisfy(d -> assertThat(d.detail()).isNotBlank());
    // ./floe dlq N: N letters, though each transaction's commit marker takes an offset
    String bootstrap = lake.stack().kafkaBootstrapServers();
    assertThat(DeadLetterView.last(bootstrap, 1)).hasSize(1);
    assertThat(DeadLetterView.last(bootstrap, malformed.size())).hasSize(malformed.size());
  }

  /**
   * The README's walkthrough against this lake: each documented command run as {@code ./floe} or
   * {@code curl} would run it, each documented output line found in what it printed (see {@link
   * Walkthrough}). The README's ports are those of {@code ./floe up}; here they stand for this
   * lake's.
   */
  @Test
  @Order(1)
  void theReadmeWalkthroughPrintsWhatTheReadmeShows() throws Exception {
    List<Walkthrough.Step> steps = Walkthrough.parse(RepositoryDocs.readme());
    assertThat(steps).as("transcripts marked %s in README.md", Walkthrough.MARKER).isNotEmpty();
    Walkthrough.Runner runner =
        new Walkthrough.Runner(
            Map.of(
                8080, lake.producerUrls().get(0),
                8081, lake.queryUrl(),
                8090, lake.consoleUrl(),
                8181, lake.catalogUrl()),
            settings.dataDir());
    List<String> failures = new ArrayList<>();
    for (Walkthrough.Step step : steps) {
      String[] output = {runner.run(step)};
      Optional<String> mismatch = Walkthrough.mismatch(step.expected(), output[0].lines().toList());
      if (mismatch.isPresent() && step.readsOnly()) {
        try {
          await("README.md:" + step.line() + " to print what the README shows")
              .atMost(VISIBLE_WITHIN)
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> {
                    output[0] = runner.run(step);
                    return Walkthrough.mismatch(step.expected(), output[0].lines().toList())
                        .isEmpty();
                  });
          mismatch = Optional.empty();
        } catch (ConditionTimeoutException e) {
          mismatch = Walkthrough.mismatch(step.expected(), output[0].lines().toList());
        }
      }
      System.out.println("README.md:" + step.line() + ": $ " + step.text() + "\n" + output[0]);
      mismatch.ifPresent(
          m ->
              failures.add(
                  "README.md:"
                      + step.line()
                      + ": $ "
                      + step.text()
                      + "\n  "
                      + m
                      + "\n  printed:\n"
                      + output[0]));
    }
    assertThat(failures).as("walkthrough lines that the lake no longer prints").isEmpty();
  }

  @Test
  @Order(2)
  void restartingTheWholeLakeMidStreamLosesAndDuplicatesNothing() throws Exception {
    String type = "restart_" + Long.toHexString(System.nanoTime());
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger refusedWhileDown = new AtomicInteger();
    StreamingClient stream =
        new StreamingClient(type, lake.producerUrls(), acknowledged, refusedWhileDown);
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    sender.scheduleWithFixedDelay(stream::step, 0, 50, TimeUnit.MILLISECONDS);
    try {
      await().atMost(Duration.ofMinutes(1)).until(() -> acknowledged.size() >= 100);
      lake.close();
      int beforeRestart = acknowledged.size();
      lake = Lake.start(settings, System.out::println);
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= beforeRestart + 100);
      // the last batch in flight is resent until acknowledged
      stream.finish();
      await().atMost(Duration.ofMinutes(1)).until(stream::done);
    } finally {
      sender.shutdownNow();
      sender.awaitTermination(1, TimeUnit.MINUTES);
    }
    assertThat(refusedWhileDown.get()).as("requests refused while the lake was down").isPositive();

    String counts =
        "SELECT count(*), count(DISTINCT event_id) FROM events WHERE type = '" + type + "'";
    await("every acknowledged event in lake.events")
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> Long.parseLong(client.rows(counts, 10).get(0).get(1)) >= acknowledged.size());
    List<String> ids =
        client.rows("SELECT event_id FROM events WHERE type = '" + type + "'", 10_000).stream()
            .map(r -> r.get(0))
            .toList();
    Set<String> distinct = new HashSet<>(ids);
    assertThat(ids).as("no duplicates").hasSameSizeAs(distinct);
    assertThat(distinct).as("exactly the acknowledged events").isEqualTo(acknowledged);
    assertThat(Files.readString(lake.settings().dataDir().resolve("logs/flink-job.log")))
        .as("the job resumed from its checkpoint")
        .contains("Resuming from the latest retained checkpoint");
  }

  /**
   * A client sending batches of 5 events in a steady stream; a batch that is not answered 202 is
   * resent unchanged (same event ids), alternating replicas, until it is.
   */
  private static final class StreamingClient {
    private final String type;
    private final List<String> producers;
    private final Set<String> acknowledged;
    private final AtomicInteger failedAttempts;
    private volatile boolean finishing;
    private volatile List<ObjectNode> pending;
    private int seq;
    private int attempt;

    StreamingClient(
        String type, List<String> producers, Set<String> acknowledged, AtomicInteger failed) {
      this.type = type;
      this.producers = producers;
      this.acknowledged = acknowledged;
      this.failedAttempts = failed;
    }

    void step() {
      if (pending == null) {
        if (finishing) {
          return;
        }
        pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          pending.add(
              LakeClient.event(
                  id(), type, "user-" + (seq % 7), Instant.now().toString(), Map.of("seq", seq)));
          seq++;
        }
      }
      String target = producers.get((seq / 5 + attempt++) % producers.size());
      try {
        LakeClient.Answer a =
            client.post(target, LakeClient.batch(pending).toString(), Duration.ofSeconds(10));
        if (a.status() == 202) {
          pending.forEach(e -> acknowledged.add(e.get("eventId").asText()));
          pending = null;
          return;
        }
      } catch (java.io.IOException e) {
        // refused or cut off while the lake restarts: resend
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      failedAttempts.incrementAndGet();
    }

    void finish() {
      finishing = true;
    }

    boolean done() {
      return finishing && pending == null;
    }
  }

  private static List<String> row(ObjectNode e, String source) {
    return java.util.Arrays.asList(
        e.get("eventId").asText(),
        e.get("type").asText(),
        e.hasNonNull("userId") ? e.get("userId").asText() : null,
        Long.toString(Instant.parse(e.get("occurredAt").asText()).toEpochMilli()),
        e.path("properties").hasNonNull("page") ? e.get("properties").get("page").asText() : null,
        source);
  }

  private static List<DeadLetterReader.Letter> deadLettersWith(String tag) {
    return DeadLetterView.last(lake.stack().kafkaBootstrapServers(), 1000).stream()
        .filter(d -> String.valueOf(d.payload()).contains(tag) || d.detail().contains(tag))
        .toList();
  }

  private static void injectRaw(java.util.Collection<String> values) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lake.stack().kafkaBootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (String v : values) {
        producer
            .send(new ProducerRecord<>("events.raw", null, v.getBytes(StandardCharsets.UTF_8)))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
