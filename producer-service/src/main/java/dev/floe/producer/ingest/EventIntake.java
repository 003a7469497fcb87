package dev.floe.producer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.contract.Instants;
import dev.floe.producer.config.ProducerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns a request body (one event object or an array of them) into the records to produce, or
 * rejects the whole body with every violation found. All-or-nothing: a batch with one bad event
 * produces nothing, so a client can fix and resend the batch as a unit.
 */
@ApplicationScoped
public class EventIntake {
  private final Validator validator;
  private final ProducerSettings settings;
  private final ReplicaId replicaId;

  public EventIntake(Validator validator, ProducerSettings settings, ReplicaId replicaId) {
    this.validator = validator;
    this.settings = settings;
    this.replicaId = replicaId;
  }

  public List<RawEvent> read(byte[] body) {
    List<EventIn> fast = fastPath(body);
    if (fast != null) {
      List<Violation> violations = new ArrayList<>();
      for (int i = 0; i < fast.size() && violations.isEmpty(); i++) {
        if (fast.get(i) == null || !validator.validate(fast.get(i)).isEmpty()) {
          violations.add(new Violation("", ""));
        }
      }
      if (violations.isEmpty()) {
        return toRecords(fast);
      }
    }
    return slowPath(body);
  }

  /**
   * Well-formed bodies (nearly all of them) bind straight to events; anything odd returns null and
   * goes through {@link #slowPath}, which reports every problem with its path.
   */
  private List<EventIn> fastPath(byte[] body) {
    if (body == null) {
      return null;
    }
    int i = 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    if (i == body.length) {
      return null;
    }
    if (body[i] == '[') {
      EventIn[] events = StrictJson.tryRead(body, EventIn[].class);
      if (events == null || events.length == 0 || events.length > settings.maxBatchSize()) {
        return null;
      }
      return java.util.Arrays.asList(events);
    }
    EventIn event = StrictJson.tryRead(body, EventIn.class);
    return event == null ? null : List.of(event);
  }

  private List<RawEvent> slowPath(byte[] body) {
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
    List<EventIn> events = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      String prefix = batch ? "events[" + i + "]." : "";
      JsonNode node = nodes.get(i);
      if (!node.isObject()) {
        violations.add(new Violation(batch ? "events[" + i + "]" : "body", "must be an object"));
        continue;
      }
      StrictJson.Bound<EventIn> bound = StrictJson.bind(node, EventIn.class, prefix);
      if (bound.violation() != null) {
        violations.add(bound.violation());
        continue;
      }
      List<Violation> found = new ArrayList<>();
      for (ConstraintViolation<EventIn> v : validator.validate(bound.value())) {
        found.add(new Violation(prefix + v.getPropertyPath(), v.getMessage()));
      }
      // stable order, so clients and tests see the same list for the same input
      found.sort(Comparator.comparing(Violation::field).thenComparing(Violation::message));
      violations.addAll(found);
      events.add(bound.value());
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

  private List<RawEvent> toRecords(List<EventIn> events) {
    String producedAt = Instant.now().toString();
    String source = replicaId.get();
    List<RawEvent> out = new ArrayList<>(events.size());
    for (EventIn e : events) {
      String eventId =
          e.eventId() == null ? UUID.randomUUID().toString() : e.eventId().toLowerCase(Locale.ROOT);
      out.add(
          new RawEvent(
              eventId,
              e.type(),
              e.userId(),
              Instants.parse(e.occurredAt()).toString(),
              e.properties() == null ? new LinkedHashMap<>() : e.properties(),
              source,
              producedAt));
    }
    return out;
  }
}
