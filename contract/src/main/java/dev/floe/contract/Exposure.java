package dev.floe.contract;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Closed by default, open on purpose: whether a listener is reachable beyond this machine, and the
 * refusal to serve data there without a credential. The launcher ({@code ./floe up --listen}) and
 * every service decide it with this one class.
 *
 * <p>A service knows two addresses: the one it binds ({@code quarkus.http.host}) and, in a
 * container, the host address its port is published on ({@link #PUBLISH_ADDRESS}). A container
 * binds every interface of its own network namespace, so there the publish address decides; outside
 * a container the bind address does.
 */
public final class Exposure {

  /** The address every listener of {@code ./floe up} binds; loopback unless opened on purpose. */
  public static final String LISTEN_ADDRESS = "FLOE_LISTEN_ADDRESS";

  /** The host address compose publishes the ports on ({@code docker-compose.yml}). */
  public static final String PUBLISH_ADDRESS = "FLOE_PUBLISH_ADDRESS";

  /** The default of both: loopback. */
  public static final String LOOPBACK = "127.0.0.1";

  private Exposure() {}

  /**
   * Whether an address is reachable only from this machine: a loopback address or {@code
   * localhost}. The wildcard ({@code 0.0.0.0}, {@code ::}), any other address, and a name that does
   * not resolve are not.
   *
   * @param address an address or host name
   * @return true for loopback
   */
  public static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    String a = address.trim();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    if (a.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(a);
      for (InetAddress i : all) {
        if (!i.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The address a service is reachable at from outside its process: the publish address when one is
   * set (a container), else the address it binds.
   *
   * @param bindAddress the bound address
   * @param publishAddress the published address, if any
   * @return the address that decides exposure
   */
  public static String effective(String bindAddress, Optional<String> publishAddress) {
    return publishAddress.filter(p -> !p.isBlank()).orElse(bindAddress);
  }

  /**
   * The settings a service or a lake reachable at {@code address} lacks: none on loopback, else
   * every credential whose value is missing or blank.
   *
   * @param address the address it is reachable at
   * @param credentials setting name to its value (null when unset), in the order to report them
   * @return the names of the missing settings (empty when none is missing or on loopback)
   */
  public static List<String> missingCredentials(
      String address, Map<String, Optional<String>> credentials) {
    List<String> missing = new ArrayList<>();
    if (isLoopback(address)) {
      return missing;
    }
    credentials.forEach(
        (name, value) -> {
          if (value == null || value.filter(v -> !v.isBlank()).isEmpty()) {
            missing.add(name);
          }
        });
    return missing;
  }

  /**
   * Fails a start that would serve data beyond loopback without its credentials.
   *
   * @param what the service or lake, for the message
   * @param address the address it is reachable at
   * @param addressSetting the setting that chose the address, for the message
   * @param credentials setting name to its value
   * @throws IllegalStateException naming every missing setting
   */
  public static void requireCredentials(
      String what,
      String address,
      String addressSetting,
      Map<String, Optional<String>> credentials) {
    List<String> missing = missingCredentials(address, credentials);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          what
              + " refuses to start: it would listen on "
              + address
              + " ("
              + addressSetting
              + "), beyond loopback, without a credential. Set "
              + String.join(", ", missing)
              + " (or keep "
              + addressSetting
              + " on "
              + LOOPBACK
              + ")");
    }
  }

  /**
   * A Quarkus service's check at start: reachable beyond loopback (its {@code quarkus.http.host},
   * or in a container {@code floe.publish-address}) only with its API token.
   *
   * @param service the service, for the message
   * @param config reads a configuration key (the service's MicroProfile Config)
   * @param tokenVariable the environment variable of its token, named in the message
   * @param token the configured token
   * @throws IllegalStateException when the token is missing on a non-loopback address
   */
  public static void requireServiceToken(
      String service,
      Function<String, Optional<String>> config,
      String tokenVariable,
      Optional<String> token) {
    Optional<String> publish = config.apply("floe.publish-address");
    String address = effective(config.apply("quarkus.http.host").orElse("0.0.0.0"), publish);
    requireCredentials(
        service,
        address,
        publish.filter(p -> !p.isBlank()).isPresent() ? PUBLISH_ADDRESS : "quarkus.http.host",
        Map.of(tokenVariable, token));
  }
}
