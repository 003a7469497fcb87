package dev.floe.lake.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Generated inputs of the fuzz runs, built from jqwik's arbitraries: valid events, near-valid ones
 * with one field broken, wrong types, deep nesting, huge strings and arrays, invalid UTF-8,
 * duplicate keys, numbers and instants at the edges, empty bodies, wrong content types, random
 * bytes and truncated JSON. Each case says what must happen to it, where that is certain.
 */
final class FuzzCases {

  /** What the lake must do with a case. */
  enum Expect {
    /** A valid event: 202, and a row in the table. */
    ACCEPT,
    /** Invalid: a 4xx with the JSON error shape, or a dead letter. */
    REJECT,
    /** At the edge of the contract: either, but consistently end to end. */
    EITHER
  }

  /** A body for {@code POST /events}. */
  record HttpCase(String kind, String contentType, byte[] body, Expect expect) {}

  /**
   * A record value for {@code events.raw}.
   *
   * @param eventId the id in it, when it has a well-formed one (null otherwise)
   */
  record RawCase(String kind, byte[] value, UUID eventId, Expect expect) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final int GEN_SIZE = 1000;

  private final Arbitrary<HttpCase> http;
  private final Arbitrary<RawCase> raw;

  FuzzCases() {
    this.http = httpCases();
    this.raw = rawCases();
  }

  /**
   * {@code n} HTTP cases, the same ones for the same seed.
   *
   * @param n how many
   * @param seed the random seed
   * @return the cases
   */
  List<HttpCase> http(int n, long seed) {
    return draw(http, n, seed);
  }

  /**
   * {@code n} raw records, the same ones for the same seed.
   *
   * @param n how many
   * @param seed the random seed
   * @return the cases
   */
  List<RawCase> raw(int n, long seed) {
    return draw(raw, n, seed);
  }

  /** Draws from an arbitrary outside a jqwik property, in a session of its own. */
  private static <T> List<T> draw(Arbitrary<T> arbitrary, int n, long seed) {
    List<T> out = new ArrayList<>(n);
    Random random = new Random(seed);
    JqwikSession.start();
    try {
      RandomGenerator<T> generator = arbitrary.generator(GEN_SIZE);
      for (int i = 0; i < n; i++) {
        out.add(generator.next(random).value());
      }
    } finally {
      JqwikSession.finish();
    }
    return out;
  }

  // ---- building blocks ------------------------------------------------------------------------

  /**
   * Random version-4 ids. Not built from {@code Arbitraries.longs()}: its edge cases (0, -1,
   * MAX_VALUE) made ids like 00000000-0000-4001-bfff-fffffffffff9 repeat across cases, and the
   * pipeline rightly deduplicated them (the first raw run counted 2 records lost and 5 invalid ones
   * in the table, all of them such collisions).
   */
  static Arbitrary<UUID> uuids() {
    return Arbitraries.randomValue(
        r ->
            new UUID(
                (r.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x4000L,
                (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L));
  }

  static Arbitrary<String> types() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('_', '.', '-')
            .ofMaxLength(30);
    return Combinators.combine(first, rest).as((f, r) -> "fz_" + f + r);
  }

  static Arbitrary<String> texts(int max) {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('ü', 'ß', '漢', '字', '\n', '\t', '"', '\\')
        .ofMaxLength(max);
  }

  static Arbitrary<String> instants() {
    Arbitrary<Long> seconds =
        Arbitraries.longs()
            .between(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(), 1_900_000_000L);
    Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
    Arbitrary<Integer> offsetHours = Arbitraries.integers().between(-12, 14);
    return Combinators.combine(seconds, nanos, offsetHours, Arbitraries.of(true, false))
        .as(
            (s, n, h, utc) -> {
              Instant i = Instant.ofEpochSecond(s, n);
              return utc ? i.toString() : i.atOffset(ZoneOffset.ofHours(h)).toString();
            });
  }

  static Arbitrary<JsonNode> propertyValues() {
    return Arbitraries.oneOf(
        texts(100).map(NODES::textNode),
        Arbitraries.integers().map(NODES::numberNode),
        Arbitraries.longs().map(NODES::numberNode),
        Arbitraries.doubles().between(-1e12, 1e12).map(NODES::numberNode),
        Arbitraries.of(true, false).map(NODES::booleanNode),
        Arbitraries.just(NODES.nullNode()));
  }

  static Arbitrary<ObjectNode> properties() {
    Arbitrary<String> keys =
        Combinators.combine(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMaxLength(15))
            .as((f, r) -> f + r);
    return Arbitraries.maps(keys, propertyValues())
        .ofMaxSize(8)
        .map(
            m -> {
              ObjectNode o = NODES.objectNode();
              m.forEach(o::set);
              return o;
            });
  }

  /** A valid event; {@code raw} adds the producer's fields and always has an id. */
  static Arbitrary<ObjectNode> validEvents(boolean raw) {
    Arbitrary<String> userIds =
        Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 999).map(i -> "user-" + i)),
                Tuple.of(1, texts(128).filter(s -> !s.isBlank())))
            .injectNull(0.2);
    Arbitrary<Integer> idShape = Arbitraries.integers().between(0, raw ? 0 : 9);
    Arbitrary<Integer> propShape = Arbitraries.integers().between(0, 9);
    return Combinators.combine(
            uuids(), idShape, types(), userIds, instants(), properties(), propShape)
        .as(
            (id, idS, type, user, at, props, propS) -> {
              ObjectNode e = NODES.objectNode();
              if (idS < 8) {
                e.put(
                    "eventId",
                    idS == 7 ? id.toString().toUpperCase(java.util.Locale.ROOT) : id.toString());
              } else if (idS == 8) {
                e.putNull("eventId");
              }
              e.put("type", type);
              if (user != null) {
                e.put("userId", user);
              }
              e.put("occurredAt", at);
              if (propS < 7) {
                e.set("properties", props);
              } else if (propS == 7) {
                e.putNull("properties");
              }
              if (propS == 9) {
                // an extra top-level field: becomes the column fuzz_campaign, always a string
                e.put("fuzzCampaign", "c-" + props.size());
              }
              if (raw) {
                e.put("source", "fuzz");
                e.put("producedAt", Instant.now().toString());
              }
              return e;
            });
  }

  /** One field of a valid event broken: wrong type, missing, out of bounds. */
  static final List<Function<ObjectNode, ObjectNode>> BREAKERS =
      List.of(
          e -> without(e, "type"),
          e -> with(e, "type", NODES.nullNode()),
          e -> with(e, "type", NODES.textNode("Page View")),
          e -> with(e, "type", NODES.textNode("1click")),
          e -> with(e, "type", NODES.textNode("a".repeat(65))),
          e -> with(e, "type", NODES.textNode("")),
          e -> with(e, "type", NODES.numberNode(42)),
          e -> with(e, "type", NODES.booleanNode(true)),
          e -> with(e, "type", NODES.arrayNode().add("a")),
          e -> with(e, "type", NODES.objectNode().put("a", 1)),
          e -> without(e, "occurredAt"),
          e -> with(e, "occurredAt", NODES.nullNode()),
          e -> with(e, "occurredAt", NODES.textNode("yesterday")),
          e -> with(e, "occurredAt", NODES.textNode("2026-03-01")),
          e -> with(e, "occurredAt", NODES.textNode("2026-03-01T10:00:00")),
          e -> with(e, "occurredAt", NODES.textNode("2026-13-01T10:00:00Z")),
          e -> with(e, "occurredAt", NODES.numberNode(1767225600000L)),
          e -> with(e, "eventId", NODES.textNode("abc")),
          e -> with(e, "eventId", NODES.textNode("")),
          e -> with(e, "eventId", NODES.numberNode(7)),
          e -> with(e, "userId", NODES.textNode("")),
          e -> with(e, "userId", NODES.textNode("   ")),
          e -> with(e, "userId", NODES.textNode("u".repeat(129))),
          e -> with(e, "userId", NODES.numberNode(7)),
          e -> with(e, "properties", NODES.arrayNode().add(1)),
          e -> with(e, "properties", NODES.textNode("a=b")),
          e -> with(e, "properties", NODES.numberNode(3)),
          e -> with(e, "properties", NODES.objectNode().set("a", NODES.objectNode().put("b", 1))),
          e -> with(e, "properties", NODES.objectNode().set("a", NODES.arrayNode().add(1))),
          e -> with(e, "properties", manyProperties(51)),
          e -> with(e, "properties", NODES.objectNode().put("note", "x".repeat(1025))),
          e -> with(e, "properties", NODES.objectNode().put("", 1)),
          e -> with(e, "properties", NODES.objectNode().put("k".repeat(65), 1)),
          e -> with(e, "user_id", NODES.textNode("u-1")),
          e -> with(e, "kafkaOffset", NODES.numberNode(1)),
          e -> with(e, "fuzzCampaign", NODES.textNode("x".repeat(1025))),
          e -> with(e, "f".repeat(65), NODES.numberNode(1)),
          e -> {
            ObjectNode c = e.deepCopy();
            for (int i = 0; i < 21; i++) {
              c.put("fuzzExtra" + i, "v");
            }
            return c;
          });

  private static ObjectNode manyProperties(int n) {
    ObjectNode o = NODES.objectNode();
    for (int i = 0; i < n; i++) {
      o.put("k" + i, i);
    }
    return o;
  }

  private static ObjectNode with(ObjectNode e, String field, JsonNode value) {
    ObjectNode c = e.deepCopy();
    c.set(field, value);
    return c;
  }

  private static ObjectNode without(ObjectNode e, String field) {
    ObjectNode c = e.deepCopy();
    c.remove(field);
    return c;
  }

  static Arbitrary<ObjectNode> brokenEvents(boolean raw) {
    return Combinators.combine(
            validEvents(raw), Arbitraries.integers().between(0, BREAKERS.size() - 1))
        .as(
            (e, i) -> {
              if (!e.hasNonNull("eventId")) {
                e.put("eventId", UUID.randomUUID().toString());
              }
              return BREAKERS.get(i).apply(e);
            });
  }

  static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(JsonNode n) {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  /** Values at the edges: they may be accepted or refused, but the same way all the way. */
  static final List<String> EDGE_NUMBERS =
      List.of(
          "1e308",
          "-1e308",
          "1e400",
          "-1e400",
          "4.9e-324",
          "1e-400",
          "-0",
          "-0.0",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "123456789012345678901234567890",
          "0.1234567890123456789012345678901234567890");

  static final List<String> EDGE_INSTANTS =
      List.of(
          "0001-01-01T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "1969-12-31T23:59:59.999999999Z",
          "9999-12-31T23:59:59.999999999Z",
          "+10000-01-01T00:00:00Z",
          "-0001-01-01T00:00:00Z",
          "2026-03-01T10:00:00+18:00",
          "2026-03-01T10:00:00-18:00",
          "2026-02-29T10:00:00Z",
          "2024-02-29T10:00:00Z",
          "2026-03-01T10:00:60Z");

  private static String edgeNumberEvent(ObjectNode e, String number) {
    ObjectNode c = e.deepCopy();
    c.set("properties", NODES.objectNode().put("edge", "PLACEHOLDER"));
    return text(c).replace("\"PLACEHOLDER\"", number);
  }

  private static String nested(int depth, boolean arrays) {
    StringBuilder s = new StringBuilder(depth * 6);
    for (int i = 0; i < depth; i++) {
      s.append(arrays ? "[" : "{\"a\":");
    }
    s.append('1');
    for (int i = 0; i < depth; i++) {
      s.append(arrays ? ']' : '}');
    }
    return s.toString();
  }

  private static byte[] withInvalidUtf8(byte[] json, int where, int which) {
    byte[][] bad = {
      {(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}
    };
    // inside the value of "type", the first string that every event has
    String s = new String(json, StandardCharsets.UTF_8);
    int at = s.indexOf("\"type\":\"") + 8;
    int pos = Math.min(at + where % 3, s.indexOf('"', at));
    byte[] prefix = s.substring(0, pos).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(prefix, 0, prefix.length);
    out.write(bad[which % bad.length], 0, bad[which % bad.length].length);
    byte[] rest = s.substring(pos).getBytes(StandardCharsets.UTF_8);
    out.write(rest, 0, rest.length);
    return out.toByteArray();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private static Arbitrary<HttpCase> httpCases() {
    String jsonType = "application/json";
    Arbitrary<HttpCase> valid =
        Combinators.combine(
                validEvents(false).list().ofMinSize(1).ofMaxSize(10), Arbitraries.of(true, false))
            .as(
                (events, single) -> {
                  JsonNode body = single ? events.get(0) : arrayOf(events);
                  return new HttpCase(
                      single ? "valid" : "valid-batch", jsonType, bytes(body), Expect.ACCEPT);
                });
    Arbitrary<HttpCase> broken =
        Combinators.combine(brokenEvents(false), validEvents(false), Arbitraries.of(true, false))
            .as(
                (bad, good, inBatch) ->
                    new HttpCase(
                        inBatch ? "near-valid-in-batch" : "near-valid",
                        jsonType,
                        bytes(inBatch ? arrayOf(List.of(good, bad)) : bad),
                        Expect.REJECT));
    Arbitrary<HttpCase> deep =
        Combinators.combine(
                validEvents(false),
                Arbitraries.integers().between(2, 4000),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false))
            .as(
                (e, depth, arrays, whole) -> {
                  String body =
                      whole
                          ? nested(depth, arrays)
                          : text(with(
                                  e, "properties", NODES.objectNode().put("deep", "PLACEHOLDER")))
                              .replace("\"PLACEHOLDER\"", nested(depth, arrays));
                  return new HttpCase(
                      "deep-nesting",
                      jsonType,
                      body.getBytes(StandardCharsets.UTF_8),
                      Expect.REJECT);
                });
    Arbitrary<HttpCase> hugeString =
        Combinators.combine(
                validEvents(false),
                Arbitraries.integers().between(1025, 3_000_000),
                Arbitraries.integers().between(0, 2))
            .as(
                (e, n, where) -> {
                  String big = "x".repeat(n);
                  ObjectNode c =
                      switch (where) {
                        case 0 -> with(e, "properties", NODES.objectNode().put("big", big));
                        case 1 -> with(e, "type", NODES.textNode("a" + big));
                        default -> with(e, "userId", NODES.textNode(big));
                      };
                  return new HttpCase("huge-string", jsonType, bytes(c), Expect.REJECT);
                });
    Arbitrary<HttpCase> hugeArray =
        Combinators.combine(
                Arbitraries.integers().between(1001, 200_000), Arbitraries.of(true, false))
            .as(
                (n, numbers) -> {
                  StringBuilder s = new StringBuilder("[");
                  for (int i = 0; i < n; i++) {
                    s.append(i == 0 ? "" : ",")
                        .append(numbers ? "1" : "{\"type\":\"t\",\"occurredAt\":\"yesterday\"}");
                  }
                  return new HttpCase(
                      "huge-array",
                      jsonType,
                      s.append(']').toString().getBytes(StandardCharsets.UTF_8),
                      Expect.REJECT);
                });
    Arbitrary<HttpCase> badUtf8 =
        Combinators.combine(
                validEvents(false),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3))
            .as(
                (e, where, which) ->
                    new HttpCase(
                        "invalid-utf8",
                        jsonType,
                        withInvalidUtf8(bytes(e), where, which),
                        Expect.REJECT));
    Arbitrary<HttpCase> duplicateKeys =
        Combinators.combine(
                validEvents(false), Arbitraries.of("type", "occurredAt", "eventId", "properties"))
            .as(
                (e, key) -> {
                  String t = text(e);
                  String dup =
                      "{\"" + key + "\":" + (key.equals("properties") ? "{}" : "\"x\"") + ",";
                  return new HttpCase(
                      "duplicate-keys",
                      jsonType,
                      (dup + t.substring(1)).getBytes(StandardCharsets.UTF_8),
                      Expect.EITHER);
                });
    Arbitrary<HttpCase> edgeNumbers =
        Combinators.combine(validEvents(false), Arbitraries.of(EDGE_NUMBERS))
            .as(
                (e, num) ->
                    new HttpCase(
                        "edge-number",
                        jsonType,
                        edgeNumberEvent(e, num).getBytes(StandardCharsets.UTF_8),
                        Expect.EITHER));
    Arbitrary<HttpCase> edgeInstants =
        Combinators.combine(validEvents(false), Arbitraries.of(EDGE_INSTANTS))
            .as(
                (e, at) ->
                    new HttpCase(
                        "edge-instant",
                        jsonType,
                        bytes(with(e, "occurredAt", NODES.textNode(at))),
                        Expect.EITHER));
    Arbitrary<HttpCase> empty =
        Arbitraries.of(
                "",
                " ",
                "\n",
                "\t \r\n ",
                "null",
                "{}",
                "[]",
                "\"\"",
                "1e999999999",
                "[null]",
                "[[]]",
                "true")
            .map(
                b ->
                    new HttpCase(
                        "empty-or-bare",
                        jsonType,
                        b.getBytes(StandardCharsets.UTF_8),
                        Expect.REJECT));
    Arbitrary<HttpCase> contentTypes =
        Combinators.combine(
                validEvents(false),
                Arbitraries.of(
                    "text/plain",
                    "application/xml",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "application/octet-stream",
                    "",
                    "application/json; charset=UTF-8",
                    "application/json;charset=iso-8859-1",
                    "application/vnd.api+json",
                    "*/*"))
            .as(
                (e, ct) ->
                    new HttpCase(
                        "content-type",
                        ct,
                        bytes(e),
                        ct.startsWith("application/json; charset=UTF-8")
                            ? Expect.ACCEPT
                            : Expect.EITHER));
    Arbitrary<HttpCase> randomBytes =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(2000)
            .filter(b -> b[0] != '{' && b[0] != '[')
            .map(b -> new HttpCase("random-bytes", jsonType, b, Expect.REJECT));
    Arbitrary<HttpCase> truncated =
        Combinators.combine(validEvents(false), Arbitraries.doubles().between(0.05, 0.95))
            .as(
                (e, f) -> {
                  byte[] b = bytes(e);
                  return new HttpCase(
                      "truncated",
                      jsonType,
                      java.util.Arrays.copyOf(b, Math.max(1, (int) (b.length * f))),
                      Expect.REJECT);
                });
    return Arbitraries.frequencyOf(
        Tuple.of(30, valid),
        Tuple.of(25, broken),
        Tuple.of(5, deep),
        Tuple.of(3, hugeString),
        Tuple.of(2, hugeArray),
        Tuple.of(5, badUtf8),
        Tuple.of(5, duplicateKeys),
        Tuple.of(5, edgeNumbers),
        Tuple.of(5, edgeInstants),
        Tuple.of(4, empty),
        Tuple.of(5, contentTypes),
        Tuple.of(3, randomBytes),
        Tuple.of(3, truncated));
  }

  private static ArrayNode arrayOf(List<? extends JsonNode> events) {
    ArrayNode a = NODES.arrayNode();
    events.forEach(a::add);
    return a;
  }

  // ---- raw records ----------------------------------------------------------------------------

  private static Arbitrary<RawCase> rawCases() {
    Arbitrary<RawCase> valid =
        validEvents(true).map(e -> new RawCase("valid", bytes(e), id(e), Expect.ACCEPT));
    Arbitrary<RawCase> broken =
        brokenEvents(true).map(e -> new RawCase("near-valid", bytes(e), id(e), Expect.REJECT));
    Arbitrary<RawCase> nulls =
        Combinators.combine(validEvents(true), Arbitraries.of("type", "occurredAt", "eventId"))
            .as(
                (e, f) ->
                    new RawCase(
                        "null-" + f,
                        bytes(with(e, f, NODES.nullNode())),
                        f.equals("eventId") ? null : id(e),
                        Expect.REJECT));
    Arbitrary<RawCase> noId =
        validEvents(true)
            .map(
                e ->
                    new RawCase(
                        "missing-eventId", bytes(without(e, "eventId")), null, Expect.REJECT));
    Arbitrary<RawCase> oversized =
        Combinators.combine(validEvents(true), Arbitraries.integers().between(1025, 600_000))
            .as(
                (e, n) ->
                    new RawCase(
                        "oversized",
                        bytes(with(e, "properties", NODES.objectNode().put("big", "x".repeat(n)))),
                        id(e),
                        Expect.REJECT));
    Arbitrary<RawCase> truncated =
        Combinators.combine(validEvents(true), Arbitraries.doubles().between(0.02, 0.98))
            .as(
                (e, f) -> {
                  byte[] b = bytes(e);
                  return new RawCase(
                      "truncated",
                      java.util.Arrays.copyOf(b, Math.max(1, (int) (b.length * f))),
                      null,
                      Expect.REJECT);
                });
    Arbitrary<RawCase> randomBytes =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(3000)
            .map(b -> new RawCase("random-bytes", b, null, Expect.REJECT));
    Arbitrary<RawCase> badUtf8 =
        Combinators.combine(
                validEvents(true),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3))
            .as(
                (e, where, which) ->
                    new RawCase(
                        "invalid-utf8",
                        withInvalidUtf8(bytes(e), where, which),
                        id(e),
                        Expect.REJECT));
    Arbitrary<RawCase> edge =
        Combinators.combine(
                validEvents(true),
                Arbitraries.of(EDGE_NUMBERS),
                Arbitraries.of(EDGE_INSTANTS),
                Arbitraries.of(true, false))
            .as(
                (e, num, at, number) ->
                    number
                        ? new RawCase(
                            "edge-number",
                            edgeNumberEvent(e, num).getBytes(StandardCharsets.UTF_8),
                            id(e),
                            Expect.EITHER)
                        : new RawCase(
                            "edge-instant",
                            bytes(with(e, "occurredAt", NODES.textNode(at))),
                            id(e),
                            Expect.EITHER));
    Arbitrary<RawCase> deep =
        Combinators.combine(
                validEvents(true),
                Arbitraries.integers().between(2, 4000),
                Arbitraries.of(true, false))
            .as(
                (e, depth, arrays) ->
                    new RawCase(
                        "deep-nesting",
                        text(with(e, "properties", NODES.objectNode().put("deep", "PLACEHOLDER")))
                            .replace("\"PLACEHOLDER\"", nested(depth, arrays))
                            .getBytes(StandardCharsets.UTF_8),
                        id(e),
                        Expect.REJECT));
    Arbitrary<RawCase> duplicateKeys =
        Combinators.combine(validEvents(true), Arbitraries.of("type", "occurredAt", "properties"))
            .as(
                (e, key) -> {
                  String t = text(e);
                  String dup =
                      "{\"" + key + "\":" + (key.equals("properties") ? "{}" : "\"x\"") + ",";
                  return new RawCase(
                      "duplicate-keys",
                      (dup + t.substring(1)).getBytes(StandardCharsets.UTF_8),
                      id(e),
                      Expect.EITHER);
                });
    return Arbitraries.frequencyOf(
        Tuple.of(30, valid),
        Tuple.of(25, broken),
        Tuple.of(5, nulls),
        Tuple.of(3, noId),
        Tuple.of(3, oversized),
        Tuple.of(6, truncated),
        Tuple.of(6, randomBytes),
        Tuple.of(5, badUtf8),
        Tuple.of(8, edge),
        Tuple.of(4, deep),
        Tuple.of(5, duplicateKeys));
  }

  private static UUID id(ObjectNode e) {
    JsonNode id = e.get("eventId");
    if (id == null || !id.isTextual()) {
      return null;
    }
    try {
      return UUID.fromString(id.textValue());
    } catch (IllegalArgumentException ex) {
      return null;
    }
  }
}
