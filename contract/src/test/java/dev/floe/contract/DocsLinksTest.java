package dev.floe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of {@code README.md} and {@code docs/*.md} points at a file of the
 * repository, and every {@code #anchor} at a heading of its target, with GitHub's anchors for
 * headings. Links to other sites are not followed (a build must not depend on the network).
 */
class DocsLinksTest {

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  @Test
  void everyRelativeLinkAndAnchorOfTheDocsResolves() throws IOException {
    Path root = RepositoryDocs.root();
    List<Path> pages = new ArrayList<>(List.of(RepositoryDocs.readme()));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      for (Link link : links(page)) {
        checked++;
        String target = link.target();
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        String where = root.relativize(page) + ":" + link.line() + ": " + target;
        if (!resolved.startsWith(root) || !Files.exists(resolved)) {
          broken.add(where + " (no such file)");
        } else if (anchor != null && !anchors(resolved).contains(anchor)) {
          broken.add(where + " (no heading with this anchor in " + root.relativize(resolved) + ")");
        }
      }
    }
    assertThat(checked).as("links found").isPositive();
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void anchorsAreGitHubs() {
    assertThat(slug("`./floe up`: ports and settings")).isEqualTo("floe-up-ports-and-settings");
    assertThat(slug("Threat model: who may reach what"))
        .isEqualTo("threat-model-who-may-reach-what");
    assertThat(slug("Docker compose (`docker-compose.yml`, `deploy/`)"))
        .isEqualTo("docker-compose-docker-composeyml-deploy");
  }

  private record Link(int line, String target) {}

  /** The relative links of a page, outside fenced blocks and inline code. */
  private static List<Link> links(Path page) throws IOException {
    List<Link> out = new ArrayList<>();
    boolean fenced = false;
    List<String> lines = Files.readAllLines(page);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
      while (m.find()) {
        String target = m.group(1);
        if (!target.matches("^[a-z][a-z0-9+.-]*:.*")) {
          out.add(new Link(i + 1, target));
        }
      }
    }
    return out;
  }

  /** The anchors GitHub gives the headings of a page (a repeated heading gets -1, -2, ...). */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    if (!page.toString().endsWith(".md")) {
      return out;
    }
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(page)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.matches("^#{1,6} .*")) {
        String slug = slug(line.replaceFirst("^#{1,6} ", ""));
        int n = seen.merge(slug, 1, Integer::sum);
        out.add(n == 1 ? slug : slug + "-" + (n - 1));
      }
    }
    return out;
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }
}
