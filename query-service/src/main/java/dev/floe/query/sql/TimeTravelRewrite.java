package dev.floe.query.sql;

import dev.floe.query.sql.SqlLexer.Kind;
import dev.floe.query.sql.SqlLexer.Token;
import dev.floe.query.sql.StatementClassifier.StatementKind;
import dev.floe.query.sql.StatementClassifier.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * Time travel for {@code /query}: the bare name {@code events} is made to mean the events table at
 * the requested point by putting a common table expression of that name in front of the query:
 *
 * <pre>
 *   SELECT type, count(*) FROM events GROUP BY 1
 *   ─► WITH events AS (SELECT * FROM iceberg.lake.events FOR VERSION AS OF 123)
 *      SELECT type, count(*) FROM events GROUP BY 1
 * </pre>
 *
 * A WITH clause shadows tables of the same name, so every reference to {@code events} in the query,
 * joins and sub-queries included, reads the old state. The rewrite is safe by construction: the
 * caller's statement was classified as a query before, the prefix is built by the service from
 * typed values, and a query that names the table in another way (qualified, {@code lake.events}) is
 * refused rather than silently read at its current state.
 */
public final class TimeTravelRewrite {

  private TimeTravelRewrite() {}

  /** Thrown when time travel cannot apply to the statement; the message is for the caller. */
  public static final class NotApplicable extends Exception {
    NotApplicable(String message) {
      super(message);
    }
  }

  /**
   * @param verdict an allowed verdict
   * @param eventsTable the qualified table name, {@code catalog.schema.table}
   * @param versionClause {@code FOR VERSION AS OF ...} or {@code FOR TIMESTAMP AS OF ...}
   */
  public static String rewrite(Verdict verdict, String eventsTable, String versionClause)
      throws NotApplicable {
    if (verdict.kind() != StatementKind.QUERY) {
      throw new NotApplicable("asOf and snapshot apply to queries (SELECT, WITH, VALUES, TABLE)");
    }
    String name = eventsTable.substring(eventsTable.lastIndexOf('.') + 1);
    List<Token> tokens = verdict.tokens();
    boolean bare = false;
    for (int i = 0; i < tokens.size(); i++) {
      if (!names(tokens.get(i), name)) {
        continue;
      }
      boolean qualified = i > 0 && tokens.get(i - 1).isSymbol(".");
      if (qualified) {
        throw new NotApplicable(
            "with asOf or snapshot, refer to the events table by its bare name "
                + name
                + " (not qualified), so that the requested version applies to it");
      }
      bare = true;
    }
    if (!bare) {
      throw new NotApplicable(
          "asOf and snapshot apply to the events table, which the query does not read by the name "
              + name);
    }
    String cte = name + " AS (SELECT * FROM " + eventsTable + versionClause + ")";
    String statement = verdict.statement();
    Token first = tokens.get(0);
    if (first.isWord("WITH")) {
      Token second = tokens.size() > 1 ? tokens.get(1) : null;
      if (second != null && (second.isWord("RECURSIVE") || second.isWord("FUNCTION"))) {
        throw new NotApplicable(
            "asOf and snapshot cannot be combined with WITH " + second.text() + " queries");
      }
      int afterWith = first.end() - first.start();
      return "WITH " + cte + ", " + statement.substring(afterWith).stripLeading();
    }
    return "WITH " + cte + " " + statement;
  }

  private static boolean names(Token token, String name) {
    if (token.kind() == Kind.WORD) {
      return token.text().equals(name.toUpperCase(Locale.ROOT));
    }
    return token.kind() == Kind.QUOTED_IDENTIFIER
        && token.text().equals("\"" + name.toLowerCase(Locale.ROOT) + "\"");
  }
}
