package dev.floe.producer.generator;

import dev.floe.contract.Instants;
import dev.floe.producer.ingest.RawEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Synthetic shop traffic: mostly page views, fewer carts, few purchases, each with the properties
 * such an event carries. Users follow a skewed spread (a few heavy users, a long tail; about 46% of
 * events come from the busiest 10% of users) and some page views are anonymous.
 */
public class EventFactory {
  /** Event types with their share of the traffic, in percent. */
  static final List<Map.Entry<String, Integer>> MIX =
      List.of(
          Map.entry("page_view", 55),
          Map.entry("search", 12),
          Map.entry("add_to_cart", 12),
          Map.entry("remove_from_cart", 3),
          Map.entry("checkout_started", 6),
          Map.entry("purchase", 4),
          Map.entry("login", 6),
          Map.entry("signup", 2));

  private static final String[] PAGES = {"/", "/products", "/product", "/cart", "/search", "/help"};
  private static final String[] DEVICES = {"mobile", "mobile", "desktop", "desktop", "tablet"};
  private static final String[] QUERIES = {
    "running shoes", "rain jacket", "headphones", "coffee grinder", "backpack", "desk lamp"
  };
  private static final String[] PAYMENT = {"card", "card", "card", "paypal", "invoice"};
  private static final String[] REFERRERS = {"direct", "search", "social", "email", "ads"};

  private final RandomGenerator random;
  private final int users;

  public EventFactory(RandomGenerator random, int users) {
    this.random = random;
    this.users = users;
  }

  public RawEvent next(String source, Instant now) {
    String type = pickType();
    String userId = pickUser(type);
    Map<String, Object> props = new LinkedHashMap<>();
    switch (type) {
      case "page_view" -> {
        String page = PAGES[random.nextInt(PAGES.length)];
        props.put("page", page.equals("/product") ? page + "/" + productId() : page);
        props.put("referrer", REFERRERS[random.nextInt(REFERRERS.length)]);
        props.put("device", DEVICES[random.nextInt(DEVICES.length)]);
        props.put("duration_ms", 200 + random.nextInt(30_000));
      }
      case "search" -> {
        props.put("query", QUERIES[random.nextInt(QUERIES.length)]);
        props.put("results", random.nextInt(120));
      }
      case "add_to_cart", "remove_from_cart" -> {
        props.put("product_id", productId());
        props.put("quantity", 1 + random.nextInt(3));
        props.put("price", price());
        props.put("currency", "EUR");
      }
      case "checkout_started" -> {
        props.put("items", 1 + random.nextInt(6));
        props.put("cart_value", price() * (1 + random.nextInt(4)));
        props.put("currency", "EUR");
      }
      case "purchase" -> {
        int items = 1 + random.nextInt(6);
        props.put("order_id", "o-" + Long.toHexString(random.nextLong() & 0xffffffffffL));
        props.put("items", items);
        props.put("amount", Math.round(price() * items * 100) / 100.0);
        props.put("currency", "EUR");
        props.put("payment_method", PAYMENT[random.nextInt(PAYMENT.length)]);
      }
      case "login" -> props.put("method", random.nextInt(4) == 0 ? "sso" : "password");
      case "signup" -> props.put("channel", REFERRERS[random.nextInt(REFERRERS.length)]);
      default -> {}
    }
    // events reach the service a little after they happened on the client
    Instant occurredAt = now.minusMillis(random.nextInt(2_000));
    return new RawEvent(
        UUID.randomUUID().toString(),
        type,
        userId,
        Instants.format(occurredAt.truncatedTo(ChronoUnit.MICROS)),
        props,
        source,
        Instants.format(now.truncatedTo(ChronoUnit.MICROS)));
  }

  private String pickType() {
    int roll = random.nextInt(100);
    for (Map.Entry<String, Integer> entry : MIX) {
      roll -= entry.getValue();
      if (roll < 0) {
        return entry.getKey();
      }
    }
    return MIX.get(0).getKey();
  }

  private String pickUser(String type) {
    if (type.equals("page_view") && random.nextInt(10) == 0) {
      return null; // anonymous visitor
    }
    // u^3 skews towards low ranks: rank < 10% of users for about 46% of events
    double u = random.nextDouble();
    int rank = (int) (users * u * u * u);
    return "user-" + Math.min(rank, users - 1);
  }

  private String productId() {
    return "p-" + (int) (500 * Math.pow(random.nextDouble(), 2));
  }

  private double price() {
    return Math.round((5 + random.nextDouble() * 195) * 100) / 100.0;
  }
}
