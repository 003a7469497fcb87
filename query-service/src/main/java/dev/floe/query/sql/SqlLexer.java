package dev.floe.query.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens with Trino's lexical rules for the parts that decide where code ends
 * and data begins: {@code --} line comments, non-nested block comments, {@code '...'} strings with
 * {@code ''} as the only escape (no backslash escapes), {@code "..."} identifiers with {@code ""}.
 * Mirroring Trino here matters: if this lexer took a piece of text for a string literal that Trino
 * reads as code, a write could hide inside it.
 */
public final class SqlLexer {

  /** The kinds of token the classifier looks at. */
  public enum Kind {
    /** An unquoted identifier or keyword; {@link Token#text} is upper-cased. */
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    SEMICOLON,
    SYMBOL
  }

  /**
   * One token: its kind, its (upper-cased for words) text and where it sits in the input ({@code
   * start} inclusive, {@code end} exclusive).
   */
  public record Token(Kind kind, String text, int start, int end) {
    boolean isWord(String upper) {
      return kind == Kind.WORD && text.equals(upper);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }
  }

  /** The text cannot be tokenized (an unterminated string, identifier or comment). */
  public static final class LexException extends Exception {
    public LexException(String message) {
      super(message);
    }
  }

  private SqlLexer() {}

  public static List<Token> tokenize(String sql) throws LexException {
    List<Token> tokens = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          throw new LexException("unterminated block comment starting at position " + (i + 1));
        }
        i = close + 2;
      } else if (c == '\'') {
        int end = quoted(sql, i, '\'', "string literal");
        tokens.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
        i = end;
      } else if (c == '"') {
        int end = quoted(sql, i, '"', "quoted identifier");
        tokens.add(new Token(Kind.QUOTED_IDENTIFIER, sql.substring(i, end), i, end));
        i = end;
      } else if (c == ';') {
        tokens.add(new Token(Kind.SEMICOLON, ";", i, i + 1));
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        tokens.add(
            new Token(Kind.WORD, sql.substring(start, i).toUpperCase(Locale.ROOT), start, i));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), start, i));
      } else {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i, i + 1));
        i++;
      }
    }
    return tokens;
  }

  private static int quoted(String sql, int open, char quote, String what) throws LexException {
    int i = open + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw new LexException("unterminated " + what + " starting at position " + (open + 1));
  }
}
