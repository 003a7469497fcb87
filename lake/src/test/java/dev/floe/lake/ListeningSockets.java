package dev.floe.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP sockets processes listen on, read from the kernel ({@code /proc/net/tcp}, {@code
 * /proc/net/tcp6} and each process's {@code /proc/<pid>/fd}): no traffic, no cooperation of the
 * process, so a listener the lake did not mean to open is found too.
 */
final class ListeningSockets {

  private static final String LISTEN = "0A";
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

  /**
   * A listening socket of a process.
   *
   * @param pid the process
   * @param command its command line, shortened
   * @param address the bound address
   * @param port the port
   */
  record Listener(long pid, String command, InetAddress address, int port) {
    boolean loopback() {
      return address.isLoopbackAddress() || isMappedLoopback(address);
    }

    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port + " (pid " + pid + ", " + command + ")";
    }
  }

  private ListeningSockets() {}

  /**
   * Every listening TCP socket of the given processes.
   *
   * @param pids the processes
   * @return their listeners
   */
  static List<Listener> of(List<Long> pids) {
    Map<Long, Listening> byInode = new HashMap<>();
    read(Path.of("/proc/net/tcp"), byInode);
    read(Path.of("/proc/net/tcp6"), byInode);
    List<Listener> out = new ArrayList<>();
    for (long pid : pids) {
      String command = command(pid);
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", pid + "", "fd"))) {
        for (Path fd : fds) {
          String target;
          try {
            target = Files.readSymbolicLink(fd).toString();
          } catch (IOException e) {
            continue; // closed meanwhile
          }
          Matcher m = SOCKET.matcher(target);
          if (m.matches()) {
            Listening l = byInode.get(Long.parseLong(m.group(1)));
            if (l != null) {
              out.add(new Listener(pid, command, l.address, l.port));
            }
          }
        }
      } catch (IOException e) {
        // the process ended meanwhile: it listens on nothing
      }
    }
    return out;
  }

  private record Listening(InetAddress address, int port) {}

  private static void read(Path table, Map<Long, Listening> byInode) {
    if (!Files.exists(table)) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(table);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        if (f.length < 10 || !f[3].equals(LISTEN)) {
          continue;
        }
        String[] local = f[1].split(":");
        byInode.put(
            Long.parseLong(f[9]), new Listening(address(local[0]), Integer.parseInt(local[1], 16)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
  static InetAddress address(String hex) {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[raw.length];
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        bytes[word + i] = raw[word + 3 - i];
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(hex, e);
    }
  }

  /** {@code ::ffff:127.x.x.x}: an IPv4 loopback address on a dual-stack socket. */
  static boolean isMappedLoopback(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff && b[12] == 127;
  }

  private static String command(long pid) {
    try {
      String cmd =
          new String(Files.readAllBytes(Path.of("/proc", pid + "", "cmdline"))).replace('\0', ' ');
      return cmd.length() > 120 ? cmd.substring(0, 120) + "..." : cmd.trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
