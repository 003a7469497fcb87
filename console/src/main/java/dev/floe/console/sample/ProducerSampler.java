package dev.floe.console.sample;

import dev.floe.console.config.ConsoleSettings;
import dev.floe.console.source.Http;
import dev.floe.console.source.ProducerMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ingest per producer-service replica: accepted, rejected and failed events per second, from each
 * replica's {@code /q/metrics}.
 */
final class ProducerSampler {

  /** How often host names are resolved again with resolve-producers, so scaled replicas appear. */
  private static final long RESOLVE_EVERY_MS = 10_000;

  /**
   * One replica the console reads.
   *
   * @param name producer-1, producer-2, ... or producer@address when resolved
   * @param url its base URL
   */
  record Replica(String name, String url) {
    String metricsUrl() {
      return url + "/q/metrics";
    }
  }

  private final ConsoleSettings config;
  private final Http http;
  private final Rates rates;
  private final SourceHealth health;
  private volatile List<Replica> replicas;
  private long resolvedAt;

  ProducerSampler(ConsoleSettings config, Http http, Rates rates, SourceHealth health) {
    this.config = config;
    this.http = http;
    this.rates = rates;
    this.health = health;
    List<Replica> configured = new ArrayList<>();
    for (int i = 0; i < config.producerUrls().size(); i++) {
      configured.add(new Replica("producer-" + (i + 1), config.producerUrls().get(i)));
    }
    this.replicas = List.copyOf(configured);
  }

  /** The replicas as last resolved, in name order. */
  List<Replica> replicas() {
    return replicas;
  }

  /** Reads every replica and puts the rates under {@code ingest.<replica>.<counter>}. */
  void sample(Map<String, Double> values, long now) {
    for (Replica replica : resolve(now)) {
      String prefix = "ingest." + replica.name() + ".";
      try {
        ProducerMetrics m =
            ProducerMetrics.parse(http.text(replica.metricsUrl(), config.producerApiToken()));
        rates.rate(values, prefix + "accepted", m.accepted(), now);
        rates.rate(values, prefix + "rejected", m.rejected(), now);
        rates.rate(values, prefix + "failed", m.failed(), now);
        health.up(replica.name(), "producer", replica.metricsUrl(), now);
      } catch (IOException | RuntimeException e) {
        rates.forget(prefix);
        health.down(replica.name(), "producer", replica.metricsUrl(), e, now);
      }
    }
  }

  /**
   * The replicas to read: the configured URLs, or with resolve-producers every address their host
   * names resolve to.
   */
  private List<Replica> resolve(long now) {
    if (!config.resolveProducers() || now - resolvedAt < RESOLVE_EVERY_MS) {
      return replicas;
    }
    resolvedAt = now;
    List<Replica> out = new ArrayList<>();
    for (String url : config.producerUrls()) {
      URI uri = URI.create(url);
      try {
        for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
          String host = a.getHostAddress();
          String base =
              uri.getScheme()
                  + "://"
                  + (host.contains(":") ? "[" + host + "]" : host)
                  + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                  + uri.getRawPath();
          out.add(new Replica("producer@" + host, base));
        }
      } catch (UnknownHostException e) {
        out.add(new Replica("producer@" + uri.getHost(), url));
      }
    }
    out.sort(Comparator.comparing(Replica::name));
    health.keepProducers(out.stream().map(Replica::name).toList());
    replicas = List.copyOf(out);
    return replicas;
  }
}
