package dev.floe.lake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's walkthrough as a test runs it. A fenced block right after the line {@code <!--
 * walkthrough -->} is a terminal transcript: lines starting with {@code $ } are commands (continued
 * by a trailing backslash or an open quote), the lines after a command are what it prints.
 *
 * <p>A documented output must appear in the real output in order, line by line: every documented
 * line matches one whole line of the output, later lines further down (lines the README leaves out
 * are allowed: a second producer replica, older dead letters; a line {@code ...} tells the reader
 * so). In a documented line, {@code <name>} stands for any text: ids, times, counts.
 *
 * <p>Commands: {@code curl} with {@code -s}, {@code -G}, {@code -X}, {@code -H}, {@code -d}, {@code
 * --data-urlencode} and {@code -w} (only {@code %{http_code}} and {@code \n}), sent with
 * java.net.http to the lake's address for the documented port; {@code ./floe ...} through {@link
 * LakeCli#run}, the code behind {@code ./floe}. A command that only reads (a GET, {@code ./floe
 * status}, {@code ./floe dlq}) is repeated until its output matches or the deadline passes, since
 * what it shows arrives with the job's next commit; a command that writes runs once.
 */
final class Walkthrough {

  /** The marker line before a checked transcript. */
  static final String MARKER = "<!-- walkthrough -->";

  /** A documented line that says output lines were left out here, for the reader. */
  static final String LEFT_OUT = "...";

  private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z][a-z0-9-]*>");

  private Walkthrough() {}

  /**
   * One command of a transcript and what the README says it prints.
   *
   * @param line the README line the command starts on (1-based)
   * @param text the command as written, continuation lines included
   * @param argv the command split as a shell splits it
   * @param expected the documented output lines
   */
  record Step(int line, String text, List<String> argv, List<String> expected) {
    boolean readsOnly() {
      if (argv.get(0).equals("./floe")) {
        return argv.size() > 1 && List.of("status", "dlq", "table").contains(argv.get(1));
      }
      return argv.contains("-G") || !(argv.contains("-d") || argv.contains("-X"));
    }
  }

  /**
   * The steps of every marked transcript of a Markdown file, in order.
   *
   * @param markdown the file
   * @return the steps
   */
  static List<Step> parse(Path markdown) {
    List<String> lines;
    try {
      lines = Files.readAllLines(markdown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).trim().equals(MARKER)) {
        continue;
      }
      int open = i + 1;
      if (open >= lines.size() || !lines.get(open).startsWith("```")) {
        throw new IllegalArgumentException(
            markdown + ":" + (i + 1) + ": " + MARKER + " must be followed by a fenced block");
      }
      int j = open + 1;
      while (j < lines.size() && !lines.get(j).startsWith("```")) {
        String line = lines.get(j);
        if (!line.startsWith("$ ")) {
          throw new IllegalArgumentException(
              markdown + ":" + (j + 1) + ": a transcript starts with a command ($ ...)");
        }
        int start = j;
        StringBuilder command = new StringBuilder(line.substring(2));
        while (!complete(command.toString())) {
          j++;
          command.append('\n').append(lines.get(j));
        }
        j++;
        List<String> expected = new ArrayList<>();
        while (j < lines.size()
            && !lines.get(j).startsWith("```")
            && !lines.get(j).startsWith("$ ")) {
          expected.add(lines.get(j));
          j++;
        }
        steps.add(
            new Step(
                start + 1, command.toString(), words(command.toString()), List.copyOf(expected)));
      }
      i = j;
    }
    return steps;
  }

  /** Whether a command is whole: no open quote, no trailing backslash. */
  private static boolean complete(String command) {
    try {
      words(command);
      return !command.endsWith("\\");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Splits a command as a POSIX shell does for the quoting the README uses: single quotes literal,
   * double quotes with backslash escapes, backslash-newline joins lines.
   *
   * @param command the command
   * @return its words
   * @throws IllegalArgumentException when a quote is left open
   */
  static List<String> words(String command) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c == '\\' && i + 1 < command.length() && command.charAt(i + 1) == '\n') {
        i++;
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\'') {
        int end = command.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("open single quote");
        }
        word.append(command, i + 1, end);
        i = end;
      } else if (c == '"') {
        int j = i + 1;
        for (; j < command.length() && command.charAt(j) != '"'; j++) {
          char d = command.charAt(j);
          if (d == '\\'
              && j + 1 < command.length()
              && "\"\\$`".indexOf(command.charAt(j + 1)) >= 0) {
            j++;
            d = command.charAt(j);
          }
          word.append(d);
        }
        if (j >= command.length()) {
          throw new IllegalArgumentException("open double quote");
        }
        i = j;
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    return out;
  }

  /**
   * Why the output does not show what the README documents, or empty when it does.
   *
   * @param expected the documented lines
   * @param actual the printed lines
   * @return the first documented line that has no match, in order
   */
  static Optional<String> mismatch(List<String> expected, List<String> actual) {
    int a = 0;
    for (String e : expected) {
      if (e.isBlank() || e.strip().equals(LEFT_OUT)) {
        continue;
      }
      Pattern p = pattern(e);
      while (a < actual.size() && !p.matcher(actual.get(a).stripTrailing()).matches()) {
        a++;
      }
      if (a == actual.size()) {
        return Optional.of("no output line matches, in order: " + e);
      }
      a++;
    }
    return Optional.empty();
  }

  /** A documented line as a pattern: literal text, {@code <name>} for any text. */
  static Pattern pattern(String documented) {
    StringBuilder regex = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(documented.stripTrailing());
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(documented.substring(at, m.start()))).append(".+?");
      at = m.end();
    }
    regex.append(Pattern.quote(documented.stripTrailing().substring(at)));
    return Pattern.compile(regex.toString());
  }

  /** Runs the walkthrough's commands against one lake. */
  static final class Runner {
    private final Map<Integer, String> baseUrlByPort;
    private final Path dataDir;
    private final HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /**
     * A runner.
     *
     * @param baseUrlByPort the lake's base URL for each port the README uses (8080: producer-1,
     *     ...)
     * @param dataDir the lake's data directory, for {@code ./floe}
     */
    Runner(Map<Integer, String> baseUrlByPort, Path dataDir) {
      this.baseUrlByPort = baseUrlByPort;
      this.dataDir = dataDir;
    }

    /**
     * Runs one command.
     *
     * @param step the command
     * @return what it printed
     * @throws Exception when it cannot run
     */
    String run(Step step) throws Exception {
      List<String> argv = step.argv();
      return switch (argv.get(0)) {
        case "./floe" -> floe(argv.subList(1, argv.size()));
        case "curl" -> curl(argv.subList(1, argv.size()));
        default -> throw new IllegalArgumentException("unsupported command: " + step.text());
      };
    }

    private String floe(List<String> args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      LakeCli.run(
          args.toArray(String[]::new),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          Map.of("FLOE_DATA_DIR", dataDir.toString()));
      return out.toString(StandardCharsets.UTF_8);
    }

    private String curl(List<String> args) throws IOException, InterruptedException {
      String url = null;
      String method = null;
      String body = null;
      String writeOut = "";
      boolean get = false;
      List<String> query = new ArrayList<>();
      HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(60));
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "-s" -> {}
          case "-G" -> get = true;
          case "-X" -> method = args.get(++i);
          case "-H" -> {
            String[] header = args.get(++i).split(":\\s*", 2);
            request.header(header[0], header[1]);
          }
          case "-d" -> body = args.get(++i);
          case "--data-urlencode" -> {
            String[] kv = args.get(++i).split("=", 2);
            query.add(kv[0] + "=" + URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
          }
          case "-w" -> writeOut = args.get(++i);
          default -> {
            if (a.startsWith("-") || url != null) {
              throw new IllegalArgumentException("unsupported curl argument: " + a);
            }
            url = a;
          }
        }
      }
      URI documented = URI.create(url);
      String base = baseUrlByPort.get(documented.getPort());
      if (base == null) {
        throw new IllegalArgumentException("no lake address for port " + documented.getPort());
      }
      String target = base + documented.getRawPath();
      if (get) {
        target += "?" + String.join("&", query);
        request.GET();
      } else if (body != null) {
        request.method(method == null ? "POST" : method, HttpRequest.BodyPublishers.ofString(body));
      } else {
        request.method(method == null ? "GET" : method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r =
          http.send(request.uri(URI.create(target)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body()
          + writeOut.replace("%{http_code}", Integer.toString(r.statusCode())).replace("\\n", "\n");
    }
  }
}
