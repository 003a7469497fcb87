package dev.floe.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The shared corpus ({@code dev/floe/contract/corpus.json}, in this module's test jar): events with
 * the outcome that producer-service and the Flink job must both give. The tests of both modules run
 * every case.
 */
public final class EventCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One case.
   *
   * @param name what it shows
   * @param event the event as a client sends it
   * @param accepted whether it keeps the contract
   * @param reason the dead-letter reason ({@link EventContract.Problem}) when rejected
   * @param field the path of the field the rejection names ("" for the event as a whole)
   */
  public record Case(String name, ObjectNode event, boolean accepted, String reason, String field) {

    /** The request body. */
    public byte[] body() {
      try {
        return JSON.writeValueAsBytes(event);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The event as the producer writes it to {@code events.raw}: an id when it has none, and the
     * replica's {@code source} and {@code producedAt}.
     */
    public byte[] rawRecord() {
      ObjectNode raw = event.deepCopy();
      JsonNode id = raw.get(EventContract.EVENT_ID);
      if (id == null || id.isNull()) {
        raw.put(EventContract.EVENT_ID, UUID.randomUUID().toString());
      }
      raw.put(EventContract.SOURCE, "producer-1");
      raw.put(EventContract.PRODUCED_AT, "2026-03-01T10:00:01Z");
      try {
        return JSON.writeValueAsBytes(raw);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The event's top-level fields. */
    public Map<String, JsonNode> fields() {
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      event.properties().forEach(f -> fields.put(f.getKey(), f.getValue()));
      return fields;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private EventCorpus() {}

  /** Every case of the corpus. */
  public static List<Case> cases() {
    try (InputStream in = EventCorpus.class.getResourceAsStream("corpus.json")) {
      if (in == null) {
        throw new IllegalStateException("dev/floe/contract/corpus.json is not on the class path");
      }
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : JSON.readTree(in).get("cases")) {
        cases.add(
            new Case(
                c.get("name").asText(),
                (ObjectNode) c.get("event"),
                c.get("accepted").asBoolean(),
                c.path("reason").asText(null),
                c.path("field").asText(null)));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
