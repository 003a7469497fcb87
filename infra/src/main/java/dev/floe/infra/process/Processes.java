package dev.floe.infra.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small process and port helpers shared by the supervisor and the platform services. */
public final class Processes {

  private Processes() {}

  /**
   * Stops a process politely: SIGTERM, wait up to {@code timeout}, then SIGKILL for it and its
   * descendants.
   *
   * @param process the process
   * @param timeout how long SIGTERM may take
   * @return true if the process ended after SIGTERM alone
   */
  public static boolean terminate(ProcessHandle process, Duration timeout) {
    if (!process.isAlive()) {
      return true;
    }
    // Collected before the process ends: once it is gone its children are re-parented and
    // unreachable.
    List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
    process.destroy();
    if (awaitExit(process, timeout)) {
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
      descendants.forEach(d -> awaitExit(d, Duration.ofSeconds(5)));
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      return true;
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    awaitExit(process, Duration.ofSeconds(10));
    return false;
  }

  /**
   * Waits for a process to end.
   *
   * @param process the process
   * @param timeout the longest wait
   * @return true if it ended in time
   */
  public static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }

  /**
   * Whether something accepts TCP connections on 127.0.0.1 at the port.
   *
   * @param port the port
   * @return true if a connect succeeds
   */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the port can be bound on all local addresses right now.
   *
   * @param port the port
   * @return true if free
   */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Fails with a message naming the service and its setting when the port is taken by someone else.
   *
   * @param service the service that needs the port, e.g. "Kafka"
   * @param port the port
   * @param setting the environment variable that changes it
   */
  public static void requireFree(String service, int port, String setting) {
    if (!isFree(port)) {
      throw new ServiceStartException(
          service
              + " cannot start: port "
              + port
              + " is already in use by another process. Stop that process or choose another port with "
              + setting
              + ".");
    }
  }

  /**
   * A port that was free a moment ago, for tests that must never use fixed ports. It is drawn at
   * random below the kernel's ephemeral range, because a port from that range (what binding port 0
   * returns) can be taken by any outgoing connection in the seconds before the service binds it.
   *
   * @return the port
   */
  public static int freePort() {
    int[] range = ephemeralRange();
    int low = 10_000;
    int high = range[0] - 1;
    if (high - low >= 1_000) {
      java.util.concurrent.ThreadLocalRandom random =
          java.util.concurrent.ThreadLocalRandom.current();
      for (int attempt = 0; attempt < 50; attempt++) {
        int port = random.nextInt(low, high + 1);
        if (isFree(port) && !isListening(port)) {
          return port;
        }
      }
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** The kernel's ephemeral port range (Linux), or the IANA default elsewhere. */
  private static int[] ephemeralRange() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      if (Files.isReadable(range)) {
        String[] parts = Files.readString(range).trim().split("\\s+");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
    } catch (IOException | RuntimeException e) {
      // fall back to the default below
    }
    return new int[] {49_152, 65_535};
  }

  /**
   * The last lines of a log file, for error messages.
   *
   * @param log the log file
   * @param lines how many lines at most
   * @return the tail, or a note if the file is missing
   */
  public static String tail(Path log, int lines) {
    if (!Files.isRegularFile(log)) {
      return "(no log at " + log + ")";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - 16_384);
      byte[] bytes = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
      int start = Math.max(0, all.length - lines);
      return String.join("\n", java.util.Arrays.copyOfRange(all, start, all.length));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
