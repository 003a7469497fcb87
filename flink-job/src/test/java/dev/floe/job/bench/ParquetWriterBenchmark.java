package dev.floe.job.bench;

import dev.floe.job.sink.LakeTable;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Files;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.data.FlinkParquetWriters;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;

/**
 * Parquet writer settings for the drain's shape of row, apart from the job (prints figures, asserts
 * nothing): rows of {@link LakeTable#SCHEMA} (unique ids and timestamps, 10,000 users, two
 * properties) written through Iceberg's Flink Parquet writer into files of 40,000 rows, as a writer
 * of the drain has per partition per commit, on one thread; the thread's CPU per variant, the
 * variants alternating, the first round left out (JIT). Run: {@code ./mvnw -B -pl flink-job -am
 * -DskipTests -Pbenchmark verify -Dbench.main=dev.floe.job.bench.ParquetWriterBenchmark
 * -Dbench.args="-Dbench.rows=400000"}; {@code bench.variants} is a {@code |}-separated list of
 * {@code key=value;key=value} table properties on top of the table's own.
 */
public final class ParquetWriterBenchmark {
  private static final int ROWS = Integer.getInteger("bench.rows", 400_000);
  private static final int ROWS_PER_FILE = 40_000;
  private static final int ROUNDS = 4;

  private ParquetWriterBenchmark() {}

  public static void main(String[] args) throws IOException {
    String variants =
        System.getProperty(
            "bench.variants",
            "write.parquet.dict-size-bytes=2097152|write.parquet.dict-size-bytes=32768"
                + "|parquet.enable.dictionary=false");
    List<RowData> rows = rows(ROWS);
    RowType type = FlinkSchemaUtil.convert(LakeTable.SCHEMA);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < ROUNDS; round++) {
      for (String variant : variants.split("\\|")) {
        Map<String, String> props = new HashMap<>(LakeTable.properties(128L * 1024 * 1024));
        for (String pair : variant.split(";")) {
          int eq = pair.indexOf('=');
          props.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long bytes = 0;
        for (int start = 0; start < rows.size(); start += ROWS_PER_FILE) {
          File file = File.createTempFile("parquet-bench", ".parquet");
          try (FileAppender<RowData> writer =
              Parquet.write(Files.localOutput(file))
                  .schema(LakeTable.SCHEMA)
                  .setAll(props)
                  .createWriterFunc(message -> FlinkParquetWriters.buildWriter(type, message))
                  .overwrite()
                  .build()) {
            for (int i = start; i < Math.min(rows.size(), start + ROWS_PER_FILE); i++) {
              writer.add(rows.get(i));
            }
          }
          bytes += file.length();
          java.nio.file.Files.delete(file.toPath());
        }
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        if (round > 0) {
          System.out.printf(
              Locale.ROOT,
              "FLOE-PARQUET round=%d variant=%s cpu_ms=%d bytes=%d%n",
              round,
              variant,
              cpu / 1_000_000,
              bytes);
        }
      }
    }
  }

  private static StringData string(String s) {
    return StringData.fromBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<RowData> rows(int n) {
    List<RowData> rows = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      GenericRowData r = new GenericRowData(10);
      r.setField(0, string(UUID.randomUUID().toString()));
      r.setField(1, string("page_view"));
      r.setField(2, string("user-" + (i % 10_000)));
      r.setField(
          3,
          TimestampData.fromInstant(
              now.minusMillis(ThreadLocalRandom.current().nextLong(4 * 86_400_000L))));
      Map<Object, Object> properties = new HashMap<>();
      properties.put(string("page"), string("/p/" + (i % 100)));
      properties.put(string("ref"), string("search"));
      r.setField(4, new GenericMapData(properties));
      r.setField(5, string("bench"));
      r.setField(6, TimestampData.fromInstant(now.plusNanos(i * 1000L)));
      r.setField(7, TimestampData.fromInstant(now.plusNanos(i * 1000L + 7)));
      r.setField(8, i % 2);
      r.setField(9, (long) i);
      rows.add(r);
    }
    return rows;
  }
}
