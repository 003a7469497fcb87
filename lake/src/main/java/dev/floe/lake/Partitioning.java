package dev.floe.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argument of {@code floe partition-by}: a list of Iceberg partition fields over the events
 * table's columns, checked here and turned into Trino's {@code partitioning} table property.
 *
 * <p>Accepted fields (several separated by commas or given as separate arguments):
 *
 * <ul>
 *   <li>{@code year|month|day|hour(occurred_at|produced_at|ingested_at)}
 *   <li>{@code bucket(user_id|event_id|type|source, N)} with 1 &le; N &le; {@value #MAX_BUCKETS};
 *       Iceberg's own order {@code bucket(N, user_id)} is accepted too
 *   <li>{@code type}, {@code source}, {@code kafka_partition} as they are, or as {@code
 *       identity(col)}
 *   <li>{@code none} (or {@code unpartitioned}) alone: new files are written unpartitioned
 * </ul>
 *
 * <p>Only low-cardinality columns may be identity fields: {@code identity(user_id)} would make a
 * partition per user, which is what {@code bucket} is for. The check is here rather than left to
 * Trino so that a typo never reaches the table and the message names what is allowed.
 */
public final class Partitioning {

  /** Upper bound on bucket counts: more buckets than this means tiny files in a streaming table. */
  public static final int MAX_BUCKETS = 1024;

  static final Set<String> TIME_COLUMNS = Set.of("occurred_at", "produced_at", "ingested_at");
  static final Set<String> BUCKET_COLUMNS = Set.of("user_id", "event_id", "type", "source");
  static final Set<String> IDENTITY_COLUMNS = Set.of("type", "source", "kafka_partition");
  private static final Set<String> TIME_TRANSFORMS = Set.of("year", "month", "day", "hour");

  private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern CALL =
      Pattern.compile("([a-z_][a-z0-9_]*)\\s*\\(\\s*([^()]*?)\\s*\\)");
  private static final Map<String, String> ALIASES = Map.of("months", "month", "days", "day");

  static final String HELP =
      "allowed: year|month|day|hour(occurred_at|produced_at|ingested_at),"
          + " bucket(user_id|event_id|type|source, N) with N in 1.."
          + MAX_BUCKETS
          + ", type|source|kafka_partition (or identity(col)), or none";

  private Partitioning() {}

  /**
   * Parses the arguments of {@code partition-by} into Trino partition fields.
   *
   * @param args one or more arguments, each a field or a comma-separated list of fields
   * @return the fields in Trino's spelling ({@code hour(occurred_at)}, {@code bucket(user_id, 16)},
   *     {@code type}); empty for {@code none}
   * @throws IllegalArgumentException naming the bad field and what is allowed
   */
  public static List<String> parse(List<String> args) {
    List<String> raw = new ArrayList<>();
    for (String arg : args) {
      raw.addAll(splitTopLevel(arg));
    }
    if (raw.isEmpty() || raw.stream().allMatch(String::isBlank)) {
      throw new IllegalArgumentException("partition-by needs a partitioning; " + HELP);
    }
    if (raw.size() == 1 && Set.of("none", "unpartitioned").contains(normal(raw.get(0)))) {
      return List.of();
    }
    List<String> fields = new ArrayList<>();
    for (String r : raw) {
      String field = field(r);
      if (fields.contains(field)) {
        throw new IllegalArgumentException("partition field '" + field + "' is given twice");
      }
      fields.add(field);
    }
    return List.copyOf(fields);
  }

  /**
   * The statement that makes {@code fields} the table's partitioning; the fields come from {@link
   * #parse}, so they hold no quote.
   *
   * @param table the fully qualified table
   * @param fields the fields from {@link #parse}
   * @return the {@code ALTER TABLE} statement
   */
  public static String alterStatement(String table, List<String> fields) {
    return "ALTER TABLE " + table + " SET PROPERTIES partitioning = " + arrayLiteral(fields);
  }

  /**
   * Trino's array literal for the fields, as {@code SHOW CREATE TABLE} prints it.
   *
   * @param fields the fields
   * @return e.g. {@code ARRAY['hour(occurred_at)']}
   */
  public static String arrayLiteral(List<String> fields) {
    List<String> quoted = fields.stream().map(f -> "'" + f + "'").toList();
    return "ARRAY[" + String.join(",", quoted) + "]";
  }

  /**
   * The partitioning a {@code SHOW CREATE TABLE} text declares.
   *
   * @param createTable the text
   * @return the fields as Trino prints them; empty when the table is unpartitioned
   */
  public static List<String> fromCreateTable(String createTable) {
    Matcher m = Pattern.compile("partitioning\\s*=\\s*ARRAY\\[([^\\]]*)\\]").matcher(createTable);
    if (!m.find()) {
      return List.of();
    }
    List<String> fields = new ArrayList<>();
    Matcher item = Pattern.compile("'((?:[^']|'')*)'").matcher(m.group(1));
    while (item.find()) {
      fields.add(item.group(1).replace("''", "'"));
    }
    return List.copyOf(fields);
  }

  private static String field(String text) {
    String t = normal(text);
    if (IDENT.matcher(t).matches()) {
      return identity(t, text);
    }
    Matcher call = CALL.matcher(t);
    if (!call.matches()) {
      throw bad(text, "not a partition field");
    }
    String transform = ALIASES.getOrDefault(call.group(1), call.group(1));
    List<String> params = List.of(call.group(2).split("\\s*,\\s*", -1));
    if (TIME_TRANSFORMS.contains(transform)) {
      if (params.size() != 1 || !TIME_COLUMNS.contains(params.get(0))) {
        throw bad(text, transform + " applies to one of " + sorted(TIME_COLUMNS));
      }
      return transform + "(" + params.get(0) + ")";
    }
    switch (transform) {
      case "identity" -> {
        if (params.size() != 1) {
          throw bad(text, "identity takes one column");
        }
        return identity(params.get(0), text);
      }
      case "bucket" -> {
        if (params.size() != 2) {
          throw bad(text, "bucket takes a column and a number of buckets");
        }
        boolean numberFirst = isNumber(params.get(0));
        String column = numberFirst ? params.get(1) : params.get(0);
        String count = numberFirst ? params.get(0) : params.get(1);
        if (!BUCKET_COLUMNS.contains(column)) {
          throw bad(text, "bucket applies to one of " + sorted(BUCKET_COLUMNS));
        }
        if (!isNumber(count)) {
          throw bad(text, "the number of buckets must be a whole number");
        }
        long n = count.length() > 7 ? Long.MAX_VALUE : Long.parseLong(count);
        if (n < 1 || n > MAX_BUCKETS) {
          throw bad(text, "the number of buckets must be between 1 and " + MAX_BUCKETS);
        }
        return "bucket(" + column + ", " + n + ")";
      }
      default -> throw bad(text, "unknown transform '" + call.group(1) + "'");
    }
  }

  private static String identity(String column, String text) {
    if (!IDENTITY_COLUMNS.contains(column)) {
      throw bad(
          text,
          "only "
              + sorted(IDENTITY_COLUMNS)
              + " may be identity fields (use a time transform or bucket for the others)");
    }
    return column;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  private static String normal(String text) {
    return text.strip().toLowerCase(Locale.ROOT);
  }

  private static List<String> sorted(Set<String> set) {
    return set.stream().sorted().toList();
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException(
        "bad partition field '" + text.strip() + "': " + why + "; " + HELP);
  }

  /** Splits on commas outside parentheses, so {@code bucket(user_id, 4)} stays one field. */
  private static List<String> splitTopLevel(String arg) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(arg.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(arg.substring(start));
    return parts.stream().filter(p -> !p.isBlank()).toList();
  }
}
