package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitioningTest {

  private static List<String> parse(String... args) {
    return Partitioning.parse(List.of(args));
  }

  @Test
  void timeTransformsOfTheTimestampColumns() {
    assertThat(parse("hour(occurred_at)")).containsExactly("hour(occurred_at)");
    assertThat(parse(" DAY( occurred_at ) ")).containsExactly("day(occurred_at)");
    assertThat(parse("month(ingested_at)")).containsExactly("month(ingested_at)");
    assertThat(parse("year(produced_at)")).containsExactly("year(produced_at)");
  }

  @Test
  void bucketInTrinosAndIcebergsOrder() {
    assertThat(parse("bucket(user_id, 16)")).containsExactly("bucket(user_id, 16)");
    assertThat(parse("bucket(16, user_id)")).containsExactly("bucket(user_id, 16)");
    assertThat(parse("bucket(event_id,1024)")).containsExactly("bucket(event_id, 1024)");
  }

  @Test
  void identityFieldsPlainOrSpelledOut() {
    assertThat(parse("type")).containsExactly("type");
    assertThat(parse("identity(source)")).containsExactly("source");
    assertThat(parse("kafka_partition")).containsExactly("kafka_partition");
  }

  @Test
  void severalFieldsInOneArgumentOrSeveral() {
    List<String> expected = List.of("day(occurred_at)", "bucket(user_id, 8)", "type");
    assertThat(parse("day(occurred_at), bucket(user_id, 8), type")).isEqualTo(expected);
    assertThat(parse("day(occurred_at)", "bucket(8, user_id)", "identity(type)"))
        .isEqualTo(expected);
  }

  @Test
  void noneUnpartitionsNewFiles() {
    assertThat(parse("none")).isEmpty();
    assertThat(parse("unpartitioned")).isEmpty();
    assertThat(Partitioning.alterStatement("iceberg.lake.events", List.of()))
        .isEqualTo("ALTER TABLE iceberg.lake.events SET PROPERTIES partitioning = ARRAY[]");
  }

  @Test
  void theStatementTrinoRuns() {
    assertThat(
            Partitioning.alterStatement(
                "iceberg.lake.events", parse("hour(occurred_at), bucket(16, user_id)")))
        .isEqualTo(
            "ALTER TABLE iceberg.lake.events SET PROPERTIES partitioning ="
                + " ARRAY['hour(occurred_at)','bucket(user_id, 16)']");
  }

  @Test
  void rejectsWhatIsNotAllowedWithTheReason() {
    assertBad("", "needs a partitioning");
    assertBad("minute(occurred_at)", "unknown transform 'minute'");
    assertBad("hour(user_id)", "hour applies to one of [ingested_at, occurred_at, produced_at]");
    assertBad("day(occurred_at, 2)", "day applies to one of");
    assertBad("user_id", "only [kafka_partition, source, type] may be identity fields");
    assertBad("identity(event_id)", "may be identity fields");
    assertBad("bucket(user_id)", "bucket takes a column and a number of buckets");
    assertBad("bucket(user_id, 0)", "between 1 and 1024");
    assertBad("bucket(user_id, 1025)", "between 1 and 1024");
    assertBad("bucket(user_id, 99999999999)", "between 1 and 1024");
    assertBad("bucket(user_id, -1)", "whole number");
    assertBad("bucket(occurred_at, 4)", "bucket applies to one of");
    assertBad("hour(occurred_at)", "hour(occurred_at)", "is given twice");
    assertBad("none, type", "only [kafka_partition, source, type] may be identity fields");
  }

  @Test
  void injectionIsNotAField() {
    assertBad("hour(occurred_at)']; DROP TABLE events; --", "not a partition field");
    assertBad("type' || 'x", "not a partition field");
    assertBad("hour(occurred_at) --", "not a partition field");
  }

  @Test
  void readsThePartitioningOfShowCreateTable() {
    String text =
        "CREATE TABLE iceberg.lake.events (\n   event_id varchar\n)\nWITH (\n"
            + "   format = 'PARQUET',\n"
            + "   partitioning = ARRAY['day(occurred_at)','bucket(user_id, 16)'],\n"
            + "   location = 's3://x/y'\n)";
    assertThat(Partitioning.fromCreateTable(text))
        .containsExactly("day(occurred_at)", "bucket(user_id, 16)");
    assertThat(Partitioning.fromCreateTable("CREATE TABLE t (a int)\nWITH (format = 'ORC')"))
        .isEmpty();
  }

  @Test
  void theCommandChecksTheArgumentBeforeLookingForTheLake(@TempDir Path dataDir) {
    Map<String, String> env = Map.of("FLOE_DATA_DIR", dataDir.toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> LakeCli.run(new String[] {"partition-by", "minute(occurred_at)"}, out, env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown transform 'minute'");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();

    assertThat(LakeCli.run(new String[] {"partition-by", "hour(occurred_at)"}, out, env))
        .isEqualTo(1);
    assertThat(LakeCli.run(new String[] {"table"}, out, env)).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("the lake is not running; start it with ./floe up");
  }

  private static void assertBad(String... argsThenMessage) {
    List<String> all = List.of(argsThenMessage);
    List<String> args = all.subList(0, all.size() - 1);
    String message = all.get(all.size() - 1);
    assertThatThrownBy(() -> Partitioning.parse(args))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
