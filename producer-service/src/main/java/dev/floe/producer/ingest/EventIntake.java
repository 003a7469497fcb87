package dev.floe.producer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.EventContract;
import dev.floe.contract.Instants;
import dev.floe.producer.config.ProducerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a request body (one event object or an array of them) into the records to produce, or
 * rejects the whole body with every violation found. All-or-nothing: a batch with one bad event
 * produces nothing, so a client can fix and resend the batch as a unit.
 *
 * <p>Each event is checked with {@link EventContract}, the rules the Flink job applies to every
 * record of {@code events.raw}: what this accepts, the job accepts. Extra top-level fields within
 * the contract's bounds pass through (they become table columns); a client's {@code source} and
 * {@code producedAt} are replaced by this replica's.
 */
@ApplicationScoped
public class EventIntake {
  private final ProducerSettings settings;
  private final ReplicaId replicaId;

  public EventIntake(ProducerSettings settings, ReplicaId replicaId) {
    this.settings = settings;
    this.replicaId = replicaId;
  }

  public List<RawEvent> read(byte[] body) {
    JsonNode root = StrictJson.readTree(body);
    List<JsonNode> nodes = new ArrayList<>();
    boolean batch;
    if (root.isObject()) {
      batch = false;
      nodes.add(root);
    } else if (root.isArray()) {
      batch = true;
      root.forEach(nodes::add);
      if (nodes.isEmpty()) {
        throw new RejectedInputException(
            400, "validation_failed", "the batch is empty", List.of(), 1);
      }
      if (nodes.size() > settings.maxBatchSize()) {
        throw new RejectedInputException(
            413,
            "batch_too_large",
            "the batch has "
                + nodes.size()
                + " events; at most "
                + settings.maxBatchSize()
                + " are accepted per request (floe.producer.max-batch-size)",
            List.of(),
            nodes.size());
      }
    } else {
      throw new RejectedInputException(
          400,
          "validation_failed",
          "the body must be an event object or an array of event objects",
          List.of(new Violation("body", "must be an object or an array")),
          1);
    }

    List<Violation> violations = new ArrayList<>();
    List<Map<String, JsonNode>> events = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      String element = batch ? "events[" + i + "]" : "body";
      String prefix = batch ? element + "." : "";
      JsonNode node = nodes.get(i);
      if (!node.isObject()) {
        violations.add(new Violation(element, "must be an object"));
        continue;
      }
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      node.properties().forEach(f -> fields.put(f.getKey(), f.getValue()));
      // the client's source and producedAt are replaced: they are not the client's to get wrong
      EventContract.PRODUCER_FIELDS.forEach(fields::remove);
      List<Violation> found = new ArrayList<>();
      for (EventContract.Finding f : EventContract.check(fields, false)) {
        found.add(new Violation(f.field().isEmpty() ? element : prefix + f.field(), f.message()));
      }
      // stable order, so clients and tests see the same list for the same input
      found.sort(Comparator.comparing(Violation::field).thenComparing(Violation::message));
      violations.addAll(found);
      events.add(fields);
    }
    if (!violations.isEmpty()) {
      throw new RejectedInputException(
          400,
          "validation_failed",
          violations.size() + " problem(s) in the request; nothing was sent",
          violations,
          nodes.size());
    }
    return toRecords(events);
  }

  private List<RawEvent> toRecords(List<Map<String, JsonNode>> events) {
    // instants at the lake's precision (microseconds), in the canonical text: the job then finds
    // the record already in its events.clean form and copies it
    String producedAt = Instants.format(Instant.now().truncatedTo(ChronoUnit.MICROS));
    String source = replicaId.get();
    List<RawEvent> out = new ArrayList<>(events.size());
    for (Map<String, JsonNode> e : events) {
      JsonNode id = e.remove(EventContract.EVENT_ID);
      String eventId =
          id == null || id.isNull()
              ? UUID.randomUUID().toString()
              : id.textValue().toLowerCase(Locale.ROOT);
      String type = e.remove(EventContract.TYPE).textValue();
      JsonNode user = e.remove(EventContract.USER_ID);
      String occurredAt = e.remove(EventContract.OCCURRED_AT).textValue();
      JsonNode properties = e.remove(EventContract.PROPERTIES);
      out.add(
          new RawEvent(
              eventId,
              type,
              user == null || user.isNull() ? null : user.textValue(),
              Instants.format(Instants.parse(occurredAt).truncatedTo(ChronoUnit.MICROS)),
              properties == null || properties.isNull()
                  ? new LinkedHashMap<>()
                  : StrictJson.toMap(properties),
              source,
              producedAt,
              e)); // what is left: the extra fields
    }
    return out;
  }
}
