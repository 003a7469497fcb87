package dev.floe.producer.ingest;

import dev.floe.producer.config.ProducerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code source} of every record: {@code floe.producer.replica-id}, else the host name (a
 * container's host name differs per replica, so scaled replicas are told apart without config).
 */
@ApplicationScoped
public class ReplicaId {
  private final String value;

  public ReplicaId(ProducerSettings settings) {
    this.value = settings.replicaId().orElseGet(ReplicaId::hostName);
  }

  public String get() {
    return value;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "producer-" + ProcessHandle.current().pid();
    }
  }
}
