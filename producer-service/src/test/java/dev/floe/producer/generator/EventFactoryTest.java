package dev.floe.producer.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.contract.EventContract;
import dev.floe.contract.Instants;
import dev.floe.producer.ingest.RawEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventFactoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void generatedEventsPassTheApiValidationAndLookLikeShopTraffic() {
    EventFactory factory = new EventFactory(new SplittableRandom(42), 1000);
    Map<String, Integer> types = new HashMap<>();
    Map<String, Integer> users = new HashMap<>();
    int anonymous = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      RawEvent e = factory.next("r1", Instant.parse("2026-03-01T12:00:00Z"));
      // as written to events.raw, the record keeps the contract the job checks
      JsonNode written = JSON.valueToTree(e);
      Map<String, JsonNode> fields = new HashMap<>();
      written.properties().forEach(f -> fields.put(f.getKey(), f.getValue()));
      assertThat(EventContract.check(fields, true)).as(e.toString()).isEmpty();
      // instants at the lake's precision, in the text the job writes to events.clean
      assertThat(Instants.isCanonicalUtc(e.occurredAt())).as(e.occurredAt()).isTrue();
      assertThat(Instants.isCanonicalUtc(e.producedAt())).as(e.producedAt()).isTrue();
      types.merge(e.type(), 1, Integer::sum);
      if (e.userId() == null) {
        anonymous++;
      } else {
        users.merge(e.userId(), 1, Integer::sum);
      }
      if (e.type().equals("purchase")) {
        assertThat(e.properties()).containsKeys("order_id", "amount", "currency", "items");
      }
    }
    assertThat(types.keySet())
        .containsExactlyInAnyOrder(
            "page_view",
            "search",
            "add_to_cart",
            "remove_from_cart",
            "checkout_started",
            "purchase",
            "login",
            "signup");
    assertThat(types.get("page_view")).isGreaterThan(types.get("add_to_cart"));
    assertThat(types.get("add_to_cart")).isGreaterThan(types.get("purchase"));
    assertThat(anonymous).isBetween(n / 40, n / 10);
    // skewed: the busiest 10% of users send far more than 10% of the events
    int top = users.values().stream().sorted((a, b) -> b - a).limit(100).mapToInt(i -> i).sum();
    assertThat(top).isGreaterThan((n - anonymous) * 35 / 100);
  }
}
