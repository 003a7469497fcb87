package dev.floe.infra;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading and checking environment values, the same way for the platform's settings ({@link
 * StackSettings}) and the lake's ({@code LakeSettings}): every error names the variable and the
 * value it got.
 */
public final class EnvValues {

  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

  private EnvValues() {}

  /**
   * A variable's value, trimmed; empty when unset or blank.
   *
   * @param env the variables
   * @param key the variable
   * @return the value
   */
  public static Optional<String> get(Map<String, String> env, String key) {
    return Optional.ofNullable(env.get(key)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /**
   * A whole number.
   *
   * @param key the variable, for the message
   * @param value the text
   * @return the number
   * @throws IllegalArgumentException naming the variable
   */
  public static int integer(String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
    }
  }

  /**
   * A decimal number.
   *
   * @param key the variable, for the message
   * @param value the text
   * @return the number
   * @throws IllegalArgumentException naming the variable
   */
  public static double decimal(String key, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
    }
  }

  /**
   * {@code true} or {@code false}, in any case.
   *
   * @param key the variable, for the message
   * @param value the text
   * @return the value
   * @throws IllegalArgumentException naming the variable
   */
  public static boolean bool(String key, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    };
  }

  /**
   * Checks a TCP port.
   *
   * @param key the variable, for the message
   * @param port the port
   * @throws IllegalArgumentException unless 1 to 65535
   */
  public static void checkPort(String key, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(key + " must be between 1 and 65535, got " + port);
    }
  }

  /**
   * Checks a JVM heap size ({@code -Xmx} syntax).
   *
   * @param key the variable, for the message
   * @param heap e.g. {@code 512m}, {@code 2G}
   * @throws IllegalArgumentException unless a whole number with an optional k, m or g
   */
  public static void checkHeap(String key, String heap) {
    if (heap == null || !HEAP.matcher(heap).matches()) {
      throw new IllegalArgumentException(
          key + " must be a JVM heap size like 512m or 1g, got '" + heap + "'");
    }
  }
}
