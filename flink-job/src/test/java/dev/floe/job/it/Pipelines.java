package dev.floe.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.infra.EmbeddedStack;
import dev.floe.job.FloeJobMain;
import dev.floe.job.config.JobSettings;
import dev.floe.job.testing.JobArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One test pipeline: its own topics, table, consumer group, transactional ids and checkpoints. */
final class Pipelines {
  static final JsonMapper JSON = JsonMapper.builder().build();

  final EmbeddedStack stack;
  final String suffix;
  final String raw;
  final String clean;
  final String dlq;
  final String table;
  final Path checkpoints;

  Pipelines(EmbeddedStack stack, String name) {
    this.stack = stack;
    this.suffix = name + "_" + UUID.randomUUID().toString().substring(0, 8);
    this.raw = "raw." + suffix;
    this.clean = "clean." + suffix;
    this.dlq = "dlq." + suffix;
    this.table = "events_" + suffix;
    this.checkpoints = Path.of("target", "it-checkpoints", suffix).toAbsolutePath();
    stack.createTopic(raw, 2);
    stack.createTopic(clean, 2);
    stack.createTopic(dlq, 1);
  }

  JobSettings settings(String... extra) {
    List<String> args =
        new ArrayList<>(
            JobArgs.forStack(stack, suffix, raw, clean, dlq, table, checkpoints, "500ms"));
    args.addAll(List.of(extra));
    return JobSettings.load(
        args.toArray(String[]::new), Map.of(), new org.apache.flink.configuration.Configuration());
  }

  JobClient start() throws Exception {
    return FloeJobMain.start(settings());
  }

  static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pipelines.class);

  static void cancel(JobClient job) throws Exception {
    LOG.info("cancelling {}", job.getJobID());
    job.cancel().get(60, TimeUnit.SECONDS);
    try {
      job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException expected) {
      // a cancelled job ends exceptionally
    }
    LOG.info("cancelled {}", job.getJobID());
  }

  // ---- input -------------------------------------------------------------------------------

  /** What was sent: the unique valid ids and the reason of every malformed record. */
  static final class Sent {
    final Map<String, JsonNode> valid = new LinkedHashMap<>();
    final List<Reason> malformedReasons = new ArrayList<>();
    final Set<String> malformedPayloads = new HashSet<>();
    int duplicates;
    int total;
  }

  private static final Object[][] MALFORMED = {
    {"{\"eventId\":", Reason.MALFORMED_JSON},
    {"[1,2,3]", Reason.NOT_AN_OBJECT},
    {"{\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}", Reason.MISSING_EVENT_ID},
    {
      "{\"eventId\":\"nope\",\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}",
      Reason.INVALID_EVENT_ID
    },
    {
      "{\"eventId\":\"%s\",\"type\":\"Click Me\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}",
      Reason.INVALID_TYPE
    },
    {"{\"eventId\":\"%s\",\"type\":\"click\"}", Reason.MISSING_OCCURRED_AT},
    {
      "{\"eventId\":\"%s\",\"type\":\"click\",\"occurredAt\":\"today\"}", Reason.INVALID_OCCURRED_AT
    },
    {
      "{\"eventId\":\"%s\",\"type\":\"click\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"properties\":{\"a\":[1]}}",
      Reason.INVALID_PROPERTIES
    },
    {null, Reason.NOT_UTF8},
    {"", Reason.EMPTY_PAYLOAD},
  };

  /**
   * Sends {@code count} records: every 100th-with-offset-37 malformed (cycling through the kinds),
   * every 100th-with-offset-71 a resend of an earlier valid event (a retried POST), the rest new.
   */
  static Sent produce(
      String topic, String bootstrap, int count, int firstIndex, Sent sent, Random random) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<String> validIds = new ArrayList<>(sent.valid.keySet());
      for (int i = firstIndex; i < firstIndex + count; i++) {
        byte[] key;
        byte[] value;
        if (i % 100 == 37) {
          Object[] kind = MALFORMED[(i / 100) % MALFORMED.length];
          String template = (String) kind[0];
          if (template == null) {
            value = new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', (byte) i};
          } else {
            String text =
                template.contains("%s") ? template.formatted(UUID.randomUUID()) : template;
            value = text.getBytes(StandardCharsets.UTF_8);
            sent.malformedPayloads.add(text);
          }
          key = null;
          sent.malformedReasons.add((Reason) kind[1]);
        } else if (i % 100 == 71 && !validIds.isEmpty()) {
          String id = validIds.get(random.nextInt(validIds.size()));
          key = id.getBytes(StandardCharsets.UTF_8);
          value = write(sent.valid.get(id));
          sent.duplicates++;
        } else {
          String id = UUID.randomUUID().toString();
          var node = JSON.createObjectNode();
          node.put("eventId", id);
          node.put("type", i % 3 == 0 ? "page_view" : "click");
          if (i % 4 != 0) {
            node.put("userId", "user-" + (i % 50));
          }
          node.put(
              "occurredAt", Instant.parse("2025-06-01T00:00:00Z").plusSeconds(i * 17L).toString());
          if (i % 5 != 0) {
            node.putObject("properties").put("plan", i % 2 == 0 ? "pro" : "free").put("n", i);
          }
          node.put("source", "it-producer");
          node.put("producedAt", Instant.now().toString());
          sent.valid.put(id, node);
          validIds.add(id);
          key = id.getBytes(StandardCharsets.UTF_8);
          value = write(node);
        }
        producer.send(new ProducerRecord<>(topic, key, value));
        sent.total++;
      }
      producer.flush();
    }
    return sent;
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- output ------------------------------------------------------------------------------

  /** Every committed record of a topic (read_committed), from the beginning to the current end. */
  List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // with read_committed, endOffsets is the last stable offset: everything before it is decided
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " up to " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  List<String> cleanEventIds() {
    LOG.info("reading {}", clean);
    return readCommitted(clean).stream().map(r -> json(r.value()).get("eventId").asText()).toList();
  }

  static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Catalog catalog() {
    return CatalogUtil.buildIcebergCatalog(
        stack.catalogName(), stack.catalogProperties(), new Configuration());
  }

  /** total-records of the current snapshot; 0 before the first commit. */
  long committedRows() {
    Table t = catalog().loadTable(TableIdentifier.of("lake", table));
    Snapshot s = t.currentSnapshot();
    return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"));
  }

  List<Record> tableRows() throws IOException {
    LOG.info("reading table {}", table);
    Table t = catalog().loadTable(TableIdentifier.of("lake", table));
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(rows::add);
    }
    return rows;
  }

  /** The highest completed checkpoint number under this pipeline's checkpoint directory. */
  long latestCheckpoint() throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return -1;
    }
    try (var jobs = Files.list(checkpoints)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(
              job -> {
                try {
                  return Files.list(job).toList().stream();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(4)))
          .max()
          .orElse(-1);
    }
  }

  /** Asserts the dead letters: one per malformed record, with its reason and coordinates. */
  void assertDeadLetters(Sent sent) {
    LOG.info("reading {}", dlq);
    List<ConsumerRecord<byte[], byte[]>> letters = readCommitted(dlq);
    Map<String, Integer> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : letters) {
      JsonNode letter = json(r.value());
      reasons.merge(letter.get("reason").asText(), 1, Integer::sum);
      assertThat(letter.get("topic").asText()).isEqualTo(raw);
      assertThat(letter.get("offset").asLong()).isNotNegative();
      assertThat(letter.get("timestamp").asText()).isNotBlank();
      if (letter.get("payloadEncoding").asText().equals("utf-8")) {
        assertThat(sent.malformedPayloads).contains(letter.get("payload").asText());
      }
    }
    Map<String, Integer> expected = new HashMap<>();
    sent.malformedReasons.forEach(reason -> expected.merge(reason.name(), 1, Integer::sum));
    assertThat(reasons).isEqualTo(expected);
  }
}
