package dev.floe.query.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeTravelRewriteTest {

  private static final String TABLE = "iceberg.lake.events";
  private static final String CLAUSE = " FOR VERSION AS OF 42";
  private final StatementClassifier classifier = new StatementClassifier();

  private String rewrite(String sql) throws TimeTravelRewrite.NotApplicable {
    return TimeTravelRewrite.rewrite(classifier.classify(sql), TABLE, CLAUSE);
  }

  @Test
  void putsTheVersionedTableInFrontAsACommonTableExpression() throws Exception {
    assertThat(rewrite("SELECT count(*) FROM events -- now"))
        .isEqualTo(
            "WITH events AS (SELECT * FROM iceberg.lake.events FOR VERSION AS OF 42)"
                + " SELECT count(*) FROM events");
  }

  @Test
  void joinsAnExistingWithClause() throws Exception {
    assertThat(rewrite("with c as (select type from events) select * from c"))
        .isEqualTo(
            "WITH events AS (SELECT * FROM iceberg.lake.events FOR VERSION AS OF 42),"
                + " c as (select type from events) select * from c");
  }

  @Test
  void refusesAQualifiedReferenceThatTheRewriteWouldNotCover() {
    assertThatThrownBy(() -> rewrite("SELECT * FROM lake.events"))
        .isInstanceOf(TimeTravelRewrite.NotApplicable.class)
        .hasMessageContaining("bare name events");
  }

  @Test
  void refusesQueriesThatDoNotReadTheEventsTable() {
    assertThatThrownBy(() -> rewrite("SELECT 1")).hasMessageContaining("does not read");
    assertThatThrownBy(() -> rewrite("SELECT 'events'")).hasMessageContaining("does not read");
  }

  @Test
  void refusesStatementsThatAreNotQueries() {
    assertThatThrownBy(() -> rewrite("SHOW COLUMNS FROM events"))
        .hasMessageContaining("apply to queries");
  }

  @Test
  void acceptsAQuotedName() throws Exception {
    assertThat(rewrite("SELECT * FROM \"events\"")).startsWith("WITH events AS (");
  }
}
