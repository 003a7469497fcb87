package dev.floe.query.sql;

import dev.floe.query.sql.SqlLexer.Kind;
import dev.floe.query.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;

/**
 * Decides whether one SQL text is a single read-only statement, before it reaches Trino.
 *
 * <pre>
 * text ─► SqlLexer (Trino's rules for comments, strings, quoted identifiers)
 *          ├─ exactly one statement (';' outside literals and comments splits)
 *          ├─ leading keyword in the allow-list: SELECT WITH VALUES TABLE ( SHOW DESCRIBE EXPLAIN
 *          ├─ no write keyword anywhere outside literals (INSERT, DROP, ANALYZE, ...)
 *          └─ EXPLAIN: no ANALYZE, and the explained statement passes the same checks
 *       ─► JSqlParser: when it understands the statement, its AST must be a read as well
 *          (a Select without INTO or data-modifying WITH items, SHOW, DESCRIBE, EXPLAIN without ANALYZE)
 * </pre>
 *
 * <p>JSqlParser does not know all of Trino's dialect (FOR TIMESTAMP AS OF, EXPLAIN (TYPE ...),
 * lambdas, ...). A statement it cannot parse is still decided by the lexical checks above, which
 * only let through statements whose first keyword makes them a query, SHOW, DESCRIBE or EXPLAIN in
 * Trino's grammar: none of those can write. Trino's access control for the service's user is the
 * second, independent line.
 */
public final class StatementClassifier {

  /** What kind of read an allowed statement is. */
  public enum StatementKind {
    QUERY,
    SHOW,
    DESCRIBE,
    EXPLAIN
  }

  /**
   * The verdict on one text. When {@code allowed}, {@code statement} is the single statement
   * without surrounding comments and trailing semicolons (what is sent to Trino) and {@code tokens}
   * its tokens; otherwise {@code reason} says why it was refused and {@code syntaxError} tells a
   * text that could not even be tokenized (400) from a refused statement (403).
   */
  public record Verdict(
      boolean allowed,
      boolean syntaxError,
      String reason,
      StatementKind kind,
      String statement,
      List<Token> tokens,
      boolean parsedBySqlParser) {

    static Verdict refused(String reason) {
      return new Verdict(false, false, reason, null, null, List.of(), false);
    }

    static Verdict syntax(String reason) {
      return new Verdict(false, true, reason, null, null, List.of(), false);
    }
  }

  static final String ALLOWED =
      "only one read statement is allowed: SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE"
          + " or EXPLAIN without ANALYZE";

  private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

  /**
   * Keywords that only occur in statements that write, run code or change the session. None may
   * appear outside a literal or quoted identifier, wherever it stands; a column with such a name
   * must be written as a quoted identifier ("update").
   */
  private static final Set<String> WRITE_KEYWORDS =
      Set.of(
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "CREATE",
          "DROP",
          "ALTER",
          "TRUNCATE",
          "CALL",
          "GRANT",
          "REVOKE",
          "DENY",
          "EXECUTE",
          "PREPARE",
          "DEALLOCATE",
          "ANALYZE",
          "REFRESH");

  private static final long PARSE_TIMEOUT_MILLIS = 2_000;

  // JSqlParser bounds its parse time by running it on an executor; one shared daemon pool avoids a
  // thread per request.
  private static final ExecutorService PARSER_POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "floe-sql-parser");
            t.setDaemon(true);
            return t;
          });

  public Verdict classify(String sql) {
    if (sql == null || sql.isBlank()) {
      return Verdict.syntax("the SQL statement is empty");
    }
    List<Token> tokens;
    try {
      tokens = SqlLexer.tokenize(sql);
    } catch (SqlLexer.LexException e) {
      return Verdict.syntax(e.getMessage());
    }
    List<List<Token>> statements = split(tokens);
    if (statements.isEmpty()) {
      return Verdict.syntax("the SQL text contains no statement");
    }
    if (statements.size() > 1) {
      return Verdict.refused(
          "exactly one statement is allowed, found " + statements.size() + "; " + ALLOWED);
    }
    List<Token> statement = statements.get(0);
    String text =
        sql.substring(statement.get(0).start(), statement.get(statement.size() - 1).end());

    LexicalResult lexical = lexicalKind(statement, 0);
    if (lexical.problem != null) {
      return lexical.syntaxError
          ? Verdict.syntax(lexical.problem)
          : Verdict.refused(lexical.problem);
    }
    String keywordProblem = writeKeyword(statement);
    if (keywordProblem != null) {
      return Verdict.refused(keywordProblem);
    }

    Statement ast = parse(text);
    if (ast != null) {
      String astProblem = astProblem(ast);
      if (astProblem != null) {
        return Verdict.refused(astProblem);
      }
    }
    return new Verdict(true, false, null, lexical.kind, text, List.copyOf(statement), ast != null);
  }

  private static List<List<Token>> split(List<Token> tokens) {
    List<List<Token>> statements = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (Token token : tokens) {
      if (token.kind() == Kind.SEMICOLON) {
        if (!current.isEmpty()) {
          statements.add(current);
          current = new ArrayList<>();
        }
      } else {
        current.add(token);
      }
    }
    if (!current.isEmpty()) {
      statements.add(current);
    }
    return statements;
  }

  private static String writeKeyword(List<Token> statement) {
    for (int i = 0; i < statement.size(); i++) {
      Token token = statement.get(i);
      if (token.kind() == Kind.WORD && WRITE_KEYWORDS.contains(token.text())) {
        // SHOW CREATE TABLE/VIEW/SCHEMA only prints DDL.
        boolean showCreate =
            token.text().equals("CREATE") && i > 0 && statement.get(i - 1).isWord("SHOW");
        if (!showCreate) {
          return "the statement contains the keyword "
              + token.text()
              + " outside a string literal; "
              + ALLOWED
              + " (quote identifiers with that name: \""
              + token.text().toLowerCase(java.util.Locale.ROOT)
              + "\")";
        }
      }
    }
    return null;
  }

  private record LexicalResult(StatementKind kind, String problem, boolean syntaxError) {
    LexicalResult(StatementKind kind, String problem) {
      this(kind, problem, false);
    }
  }

  /**
   * The first keywords of Trino's statements (its grammar's {@code statement} rule): a text that
   * starts with another word is not SQL at all (a syntax error, 400), not a refused statement.
   */
  private static final Set<String> STATEMENT_STARTS =
      Set.of(
          "SELECT",
          "WITH",
          "VALUES",
          "TABLE",
          "SHOW",
          "DESCRIBE",
          "DESC",
          "EXPLAIN",
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "CREATE",
          "DROP",
          "ALTER",
          "TRUNCATE",
          "CALL",
          "GRANT",
          "REVOKE",
          "DENY",
          "EXECUTE",
          "PREPARE",
          "DEALLOCATE",
          "ANALYZE",
          "REFRESH",
          "COMMENT",
          "SET",
          "RESET",
          "USE",
          "START",
          "COMMIT",
          "ROLLBACK");

  /**
   * The kind of the statement starting at {@code from}, by Trino's grammar of its first keyword.
   */
  private static LexicalResult lexicalKind(List<Token> statement, int from) {
    if (from >= statement.size()) {
      return new LexicalResult(null, "EXPLAIN needs a statement to explain; " + ALLOWED);
    }
    int i = from;
    // A query may start with parentheses: (SELECT 1) UNION (SELECT 2).
    while (i < statement.size() && statement.get(i).isSymbol("(")) {
      i++;
    }
    if (i >= statement.size() || statement.get(i).kind() != Kind.WORD) {
      return new LexicalResult(null, "the statement does not start with a keyword; " + ALLOWED);
    }
    String first = statement.get(i).text();
    if (QUERY_STARTS.contains(first)) {
      return new LexicalResult(StatementKind.QUERY, null);
    }
    if (i > from) {
      return new LexicalResult(null, first + " is not a query; " + ALLOWED);
    }
    switch (first) {
      case "SHOW":
        return new LexicalResult(StatementKind.SHOW, null);
      case "DESCRIBE":
      case "DESC":
        return new LexicalResult(StatementKind.DESCRIBE, null);
      case "EXPLAIN":
        return explained(statement, i + 1);
      default:
        if (!STATEMENT_STARTS.contains(first)) {
          return new LexicalResult(
              null,
              "syntax error: " + first + " does not start an SQL statement; " + ALLOWED,
              true);
        }
        return new LexicalResult(null, first + " statements are not allowed; " + ALLOWED);
    }
  }

  private static LexicalResult explained(List<Token> statement, int afterExplain) {
    int i = afterExplain;
    // EXPLAIN (TYPE ..., FORMAT ...) <statement>: skip the option list, unless the parenthesis
    // opens
    // the query itself, as in "EXPLAIN (SELECT 1)".
    boolean optionList =
        i < statement.size()
            && statement.get(i).isSymbol("(")
            && !(i + 1 < statement.size()
                && statement.get(i + 1).kind() == Kind.WORD
                && QUERY_STARTS.contains(statement.get(i + 1).text()));
    if (optionList) {
      int depth = 0;
      do {
        Token t = statement.get(i);
        if (t.isSymbol("(")) {
          depth++;
        } else if (t.isSymbol(")")) {
          depth--;
        }
        i++;
      } while (depth > 0 && i < statement.size());
    }
    LexicalResult inner = lexicalKind(statement, i);
    if (inner.problem != null) {
      return new LexicalResult(
          null, "EXPLAIN of a statement that is not allowed: " + inner.problem);
    }
    return new LexicalResult(StatementKind.EXPLAIN, null);
  }

  private static Statement parse(String text) {
    try {
      Statement ast =
          CCJSqlParserUtil.parse(
              text, PARSER_POOL, parser -> parser.withTimeOut(PARSE_TIMEOUT_MILLIS));
      return ast instanceof UnsupportedStatement ? null : ast;
    } catch (JSQLParserException | RuntimeException e) {
      // Trino dialect JSqlParser does not know: the lexical checks above decide alone.
      return null;
    }
  }

  private static String astProblem(Statement ast) {
    if (ast instanceof Select select) {
      return selectProblem(select);
    }
    if (ast instanceof ShowStatement
        || ast instanceof ShowTablesStatement
        || ast instanceof ShowColumnsStatement
        || ast instanceof DescribeStatement) {
      return null;
    }
    if (ast instanceof ExplainStatement explain) {
      if (explain.getOption(ExplainStatement.OptionType.ANALYZE) != null) {
        return "EXPLAIN ANALYZE runs the statement; " + ALLOWED;
      }
      return explain.getStatement() == null ? null : selectProblem(explain.getStatement());
    }
    return "the statement parses as " + ast.getClass().getSimpleName() + "; " + ALLOWED;
  }

  private static String selectProblem(Select select) {
    List<WithItem<?>> withItems = select.getWithItemsList();
    if (withItems != null) {
      for (WithItem<?> item : withItems) {
        Object body = item.getParenthesedStatement();
        if (body instanceof ParenthesedInsert
            || body instanceof ParenthesedUpdate
            || body instanceof ParenthesedDelete) {
          return "a WITH item that writes is not allowed; " + ALLOWED;
        }
      }
    }
    if (select instanceof PlainSelect plain
        && ((plain.getIntoTables() != null && !plain.getIntoTables().isEmpty())
            || plain.getIntoTempTable() != null)) {
      return "SELECT ... INTO writes a table; " + ALLOWED;
    }
    return null;
  }
}
