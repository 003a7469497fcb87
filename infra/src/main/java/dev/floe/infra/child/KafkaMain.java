package dev.floe.infra.child;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka child JVM: runs the broker ({@code kafka.Kafka}) and, next to it, a tiny control
 * endpoint on 127.0.0.1 through which the parent creates topics without having kafka-clients on its
 * own classpath.
 *
 * <p>Arguments: {@code <server.properties> <bootstrap> <control-file> [topic=partitions ...]}. The
 * control file receives the endpoint's port once the broker answers and the listed topics exist:
 * its presence means "ready".
 */
public final class KafkaMain {

  private KafkaMain() {}

  /**
   * Runs the broker and the control endpoint.
   *
   * @param args server.properties path, bootstrap servers, control file, topics
   * @throws Exception on a start failure
   */
  public static void main(String[] args) throws Exception {
    String serverProperties = args[0];
    String bootstrap = args[1];
    Path controlFile = Path.of(args[2]);
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      topics.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
    }

    Thread broker =
        new Thread(() -> kafka.Kafka.main(new String[] {serverProperties}), "kafka-main");
    broker.start();

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    Admin admin = Admin.create(props);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (true) {
      try {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        break;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("broker did not answer at " + bootstrap, e);
        }
      }
    }
    for (Map.Entry<String, Integer> t : topics.entrySet()) {
      createTopic(admin, t.getKey(), t.getValue());
    }

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ready", ex -> respond(ex, 200, "ok"));
    server.createContext(
        "/topics",
        ex -> {
          try {
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            createTopic(admin, q.get("name"), Integer.parseInt(q.getOrDefault("partitions", "1")));
            respond(ex, 200, "ok");
          } catch (Exception e) {
            respond(ex, 500, String.valueOf(e));
          }
        });
    server.start();
    Path tmp = controlFile.resolveSibling(controlFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
    Files.move(
        tmp, controlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("floe: Kafka broker ready at " + bootstrap + ", topics " + topics.keySet());
    broker.join();
  }

  static void createTopic(Admin admin, String name, int partitions) throws Exception {
    if (name == null || name.isBlank() || partitions < 1) {
      throw new IllegalArgumentException("topic name and partitions >= 1 are required");
    }
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    // Producers started right after creation must find a leader for every partition.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      try {
        TopicDescription d =
            admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
        if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      } catch (ExecutionException e) {
        // metadata not propagated yet
      }
      TimeUnit.MILLISECONDS.sleep(100); // leaders are usually elected within a few hundred ms
    }
    throw new IllegalStateException("topic " + name + " has partitions without a leader");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split("&")) {
      String[] kv = part.split("=", 2);
      out.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
