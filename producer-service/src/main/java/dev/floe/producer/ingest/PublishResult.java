package dev.floe.producer.ingest;

import java.util.List;

/**
 * What Kafka acknowledged of one request. {@code notAcknowledged} holds the ids that failed or were
 * still unconfirmed at the deadline; some of those may still reach the topic later, which is why a
 * retry is deduplicated downstream by eventId.
 */
public record PublishResult(List<String> acknowledged, List<String> notAcknowledged) {
  public boolean allAcknowledged() {
    return notAcknowledged.isEmpty();
  }
}
