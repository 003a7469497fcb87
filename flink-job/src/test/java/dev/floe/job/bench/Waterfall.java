package dev.floe.job.bench;

import dev.floe.contract.DeadLetter;
import dev.floe.job.FloeJobMain;
import dev.floe.job.config.JobSettings;
import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import dev.floe.job.pipeline.DeadLetters;
import dev.floe.job.pipeline.DeduplicateEvents;
import dev.floe.job.pipeline.EventKey;
import dev.floe.job.pipeline.EvolveTableSchema;
import dev.floe.job.pipeline.ParseEvents;
import dev.floe.job.pipeline.StampIngestedAt;
import dev.floe.job.sink.EventRecordGenerator;
import dev.floe.job.sink.IcebergLakeSink;
import dev.floe.job.sink.KafkaSinks;
import dev.floe.job.sink.LakeTable;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecord;

/**
 * The cost of each step of the job for the drain's 1 M rows, measured, not estimated: the same
 * input is drained by a series of jobs, each the production pipeline cut after one more step (the
 * steps after it switched off, its output counted and dropped), so the CPU and time a step adds is
 * the difference between two neighbouring rows. The last rows are the production job itself, with
 * and without its table-maintenance job, and the production job over records that all fail the
 * contract (the dead-letter path).
 *
 * <p>Each job runs in this JVM's MiniCluster with the production configuration ({@link
 * FloeJobMain#environmentConfiguration}: RocksDB, changelog, checkpoints every 10 s while draining
 * a backlog), at parallelism 2, with its own consumer group, checkpoints and transactional ids. A
 * run ends when its last stage has seen every record (a counter in this JVM), when events.clean or
 * events.dlq hold every record (read_committed, read by the polling thread), or when the table
 * does; its CPU is the JVM's less the polling thread's.
 */
final class Waterfall {

  /** A drain reads the raw topic from its start: a fresh group, nothing to reset past. */
  @SuppressWarnings("deprecation")
  private static final org.apache.kafka.clients.consumer.OffsetResetStrategy
      OFFSETS_FROM_THE_START = org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST;

  /** Records counted at the end of a cut pipeline, by run. */
  static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

  /** The steps, in pipeline order; each run includes every step before it. */
  enum Step {
    SOURCE("Kafka source: consume, deserialize, read the id"),
    SHUFFLE("+ keyBy shuffle by id (raw bytes)"),
    PARSE("+ parse and contract check"),
    DEDUP("+ dedup state (RocksDB, changelog)"),
    CLEAN("+ events.clean (Kafka, exactly-once) and the dlq sink"),
    ROWS("+ evolve-table-schema and row conversion"),
    LAKE("+ Parquet write and Iceberg commit (the job, no maintenance)"),
    FULL("+ table maintenance job (the production job)"),
    DEAD_LETTERS("the production job, every record a dead letter");

    final String label;

    Step(String label) {
      this.label = label;
    }
  }

  private Waterfall() {}

  /** Builds and starts the cut pipeline of a step below {@link Step#LAKE}. */
  static JobClient startCut(Step step, JobSettings settings, String name) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FloeJobMain.environmentConfiguration(settings));
    env.setParallelism(2);
    DataStream<RawRecord> raw =
        env.fromSource(
                FloeJobMain.source(settings, OFFSETS_FROM_THE_START),
                WatermarkStrategy.noWatermarks(),
                "events-raw-source")
            .uid("events-raw-source");
    if (step == Step.SOURCE) {
      raw.sinkTo(new Counting<>(name)).name("count");
      return env.executeAsync(name);
    }
    var keyed = raw.keyBy(EventKey.RAW, EventKey.TYPE);
    if (step == Step.SHUFFLE) {
      keyed.sinkTo(new Counting<>(name)).name("count");
      return env.executeAsync(name);
    }
    if (step == Step.PARSE) {
      keyed.process(new ParseEvents()).name("parse").sinkTo(new Counting<>(name)).name("count");
      return env.executeAsync(name);
    }
    SingleOutputStreamOperator<Event> parsed =
        keyed.process(new ParseEvents()).name("parse-events").uid("parse-events");
    SingleOutputStreamOperator<Event> deduplicated =
        DataStreamUtils.reinterpretAsKeyedStream(parsed, EventKey.EVENT, EventKey.TYPE)
            .process(
                new DeduplicateEvents(settings.dedupTtl(), settings.dedupFilterMemory().getBytes()))
            .name("deduplicate")
            .uid("deduplicate")
            .map(new StampIngestedAt(Clock.systemUTC()))
            .name("stamp-ingested-at")
            .uid("stamp-ingested-at");
    if (step == Step.DEDUP) {
      deduplicated.sinkTo(new Counting<>(name)).name("count");
      return env.executeAsync(name);
    }
    parsed
        .getSideOutput(DeadLetters.DEAD_LETTERS)
        .sinkTo(KafkaSinks.deadLetters(settings))
        .name("events-dlq-sink");
    if (step == Step.CLEAN) {
      deduplicated.sinkTo(KafkaSinks.clean(settings)).name("events-clean-sink");
      return env.executeAsync(name);
    }
    // ROWS: the schema step and the lake's row generator, without the Iceberg writer
    TableIdentifier table = TableIdentifier.of(settings.namespace(), settings.tableName());
    org.apache.iceberg.catalog.Catalog catalog = catalog(settings);
    try (org.apache.iceberg.hadoop.HadoopFileIO io =
        new org.apache.iceberg.hadoop.HadoopFileIO(settings.storage().hadoopConfiguration())) {
      LakeTable.ensureExists(
          catalog,
          table,
          settings.targetFileSize().getBytes(),
          io,
          LakeTable.defaultLocation(settings.warehouse(), table));
    }
    if (catalog instanceof java.io.Closeable closeable) {
      closeable.close();
    }
    IcebergLakeSink lake =
        new IcebergLakeSink(
            settings.catalogName(),
            settings.catalogProperties(),
            settings.storage().hadoopProperties(),
            table,
            settings.tableRefreshInterval());
    SingleOutputStreamOperator<Event> resolved =
        deduplicated
            .process(
                new EvolveTableSchema(
                    lake.catalogLoader(),
                    table,
                    settings.rawTopic(),
                    settings.tableRefreshInterval()))
            .name("evolve-table-schema");
    resolved.sinkTo(KafkaSinks.clean(settings)).name("events-clean-sink");
    resolved
        .process(
            new GenerateOnly(
                new EventRecordGenerator(
                    lake.catalogLoader(), table, settings.tableRefreshInterval()),
                name))
        .name("rows")
        .sinkTo(new Counting<>(name + "/unused"))
        .name("count");
    return env.executeAsync(name);
  }

  private static org.apache.iceberg.catalog.Catalog catalog(JobSettings settings) {
    return org.apache.iceberg.CatalogUtil.buildIcebergCatalog(
        settings.catalogName(),
        settings.catalogProperties(),
        settings.storage().hadoopConfiguration());
  }

  /** One row of the table: the step, its wall time and CPU, and what it adds to the row above. */
  record Row(Step step, double seconds, double cpu, double startupCpu) {}

  static void print(List<Row> rows, int records, int pass) {
    System.out.printf(
        Locale.ROOT,
        "FLOE-WATERFALL pass=%d rows=%d (cumulative: each run includes the steps above it)%n",
        pass,
        records);
    double previousCpu = 0;
    for (Row row : rows) {
      double added =
          row.step == Step.DEAD_LETTERS
              ? row.cpu - rows.stream().filter(r -> r.step == Step.FULL).findFirst().get().cpu
              : row.cpu - previousCpu;
      System.out.printf(
          Locale.ROOT,
          "FLOE-WATERFALL pass=%d step=%s wall_s=%.1f job_cpu_s=%.1f step_cpu_s=%+.1f"
              + " startup_cpu_s=%.1f  %s%n",
          pass,
          row.step.name().toLowerCase(Locale.ROOT),
          row.seconds,
          row.cpu,
          added,
          row.startupCpu,
          row.step.label);
      if (row.step != Step.DEAD_LETTERS) {
        previousCpu = row.cpu;
      }
    }
  }

  static long count(String name) {
    AtomicLong n = COUNTS.get(name);
    return n == null ? 0 : n.get();
  }

  /** Counts what reaches it and drops it. */
  static final class Counting<T> implements Sink<T> {
    private final String name;

    Counting(String name) {
      this.name = name;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      AtomicLong n = COUNTS.computeIfAbsent(name, k -> new AtomicLong());
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          n.incrementAndGet();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** Parse and contract check without state: the dedup step switched off. */
  /** The lake's row conversion without the writer: each row is built and dropped, and counted. */
  static final class GenerateOnly extends ProcessFunction<Event, DeadLetter> {
    private final EventRecordGenerator generator;
    private final String name;
    private transient AtomicLong n;
    private transient Collector<DynamicRecord> drop;

    GenerateOnly(EventRecordGenerator generator, String name) {
      this.generator = generator;
      this.name = name;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
      generator.open(openContext);
      n = COUNTS.computeIfAbsent(name, k -> new AtomicLong());
      drop =
          new Collector<>() {
            @Override
            public void collect(DynamicRecord record) {
              if (record == null) {
                throw new IllegalStateException("no row");
              }
            }

            @Override
            public void close() {}
          };
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<DeadLetter> out)
        throws Exception {
      generator.generate(event, drop);
      n.incrementAndGet();
    }
  }
}
