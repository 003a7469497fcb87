package dev.floe.query.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.query.sql.StatementClassifier.StatementKind;
import dev.floe.query.sql.StatementClassifier.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {

  private final StatementClassifier classifier = new StatementClassifier();

  static Stream<ForbiddenCorpus.Entry> forbidden() {
    return ForbiddenCorpus.ENTRIES.stream();
  }

  @Test
  void corpusHasAtLeastFiftyStatements() {
    assertThat(ForbiddenCorpus.ENTRIES).hasSizeGreaterThanOrEqualTo(50);
  }

  @ParameterizedTest
  @MethodSource("forbidden")
  void refusesEveryStatementOfTheCorpus(ForbiddenCorpus.Entry entry) {
    Verdict verdict = classifier.classify(entry.on("iceberg.lake.events", "iceberg.lake"));

    assertThat(verdict.allowed()).as(entry.sql()).isFalse();
    assertThat(verdict.syntaxError()).as("refused (403), not a syntax error: " + entry).isFalse();
    assertThat(verdict.reason()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "-- only a comment",
        "/* only a comment */ ;",
        "SELECT 'unterminated; DROP TABLE events",
        "SELECT 1 /* unterminated; DROP TABLE events",
        "SELECT \"unterminated; DROP TABLE events"
      })
  void textThatCannotBeTokenizedIsASyntaxError(String sql) {
    Verdict verdict = classifier.classify(sql);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.syntaxError()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELEC 1",
        "SELET * FROM events",
        "garbage that is not sql",
        "events",
        "FROM events"
      })
  void textWhoseFirstWordStartsNoStatementIsASyntaxError(String sql) {
    Verdict verdict = classifier.classify(sql);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.syntaxError()).as("400, not a refused statement").isTrue();
    assertThat(verdict.reason()).startsWith("syntax error");
  }

  static Stream<Arguments> reads() {
    return Stream.of(
        Arguments.of("SELECT 1", StatementKind.QUERY),
        Arguments.of(
            "select * from events where type = 'click' order by occurred_at desc limit 5",
            StatementKind.QUERY),
        Arguments.of("SELECT 'DELETE FROM events; DROP TABLE events'", StatementKind.QUERY),
        Arguments.of("SELECT 1 -- DROP TABLE events", StatementKind.QUERY),
        Arguments.of("SELECT /* DELETE FROM events; */ 1", StatementKind.QUERY),
        Arguments.of("SELECT \"delete\", \"update\" FROM t", StatementKind.QUERY),
        Arguments.of("SELECT 'it''s; DROP TABLE x'", StatementKind.QUERY),
        Arguments.of(
            "WITH c AS (SELECT type FROM events) SELECT count(*) FROM c", StatementKind.QUERY),
        Arguments.of("VALUES (1, 'a'), (2, 'b')", StatementKind.QUERY),
        Arguments.of("TABLE events", StatementKind.QUERY),
        Arguments.of("(SELECT 1) UNION ALL (SELECT 2)", StatementKind.QUERY),
        Arguments.of("SELECT * FROM events FOR VERSION AS OF 123", StatementKind.QUERY),
        Arguments.of(
            "SELECT * FROM events FOR TIMESTAMP AS OF TIMESTAMP '2024-05-01 00:00:00 UTC'",
            StatementKind.QUERY),
        Arguments.of("SELECT transform(ARRAY[1, 2], x -> x + 1)", StatementKind.QUERY),
        Arguments.of("SELECT * FROM \"events$snapshots\"", StatementKind.QUERY),
        Arguments.of("SELECT count(*) FROM UNNEST(sequence(1, 10)) t(x)", StatementKind.QUERY),
        Arguments.of("SELECT 1;", StatementKind.QUERY),
        Arguments.of("SELECT 1 ; ;  -- trailing", StatementKind.QUERY),
        Arguments.of("SHOW TABLES", StatementKind.SHOW),
        Arguments.of("SHOW SCHEMAS FROM iceberg", StatementKind.SHOW),
        Arguments.of("SHOW CREATE TABLE events", StatementKind.SHOW),
        Arguments.of("SHOW COLUMNS FROM events", StatementKind.SHOW),
        Arguments.of("DESCRIBE events", StatementKind.DESCRIBE),
        Arguments.of("desc events", StatementKind.DESCRIBE),
        Arguments.of("EXPLAIN SELECT * FROM events", StatementKind.EXPLAIN),
        Arguments.of("EXPLAIN (TYPE DISTRIBUTED, FORMAT TEXT) SELECT 1", StatementKind.EXPLAIN),
        Arguments.of("EXPLAIN (SELECT 1)", StatementKind.EXPLAIN));
  }

  @ParameterizedTest
  @MethodSource("reads")
  void allowsReads(String sql, StatementKind kind) {
    Verdict verdict = classifier.classify(sql);

    assertThat(verdict.allowed()).as(verdict.reason()).isTrue();
    assertThat(verdict.kind()).isEqualTo(kind);
  }

  @Test
  void sendsTheStatementWithoutSurroundingCommentsAndSemicolons() {
    Verdict verdict = classifier.classify("  /* why */ SELECT 1 -- note\n ;  ");

    assertThat(verdict.statement()).isEqualTo("SELECT 1");
  }

  @Test
  void usesTheSqlParserWhereItUnderstandsTheStatement() {
    assertThat(classifier.classify("SELECT a, count(*) FROM t GROUP BY a").parsedBySqlParser())
        .isTrue();
    // Trino dialect the parser does not know is decided by the lexical checks alone.
    assertThat(classifier.classify("EXPLAIN (TYPE IO) SELECT 1").parsedBySqlParser()).isFalse();
  }

  @Test
  void refusalsSayWhy() {
    assertThat(classifier.classify("DROP TABLE events").reason())
        .startsWith("DROP statements are not allowed");
    assertThat(classifier.classify("SELECT 1; SELECT 2").reason())
        .startsWith("exactly one statement is allowed, found 2");
    assertThat(classifier.classify("EXPLAIN ANALYZE SELECT 1").reason()).contains("ANALYZE");
    assertThat(classifier.classify("SELECT * INTO evil FROM events").reason())
        .startsWith("SELECT ... INTO writes a table");
  }
}
