package dev.floe.infra.child;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The PostgreSQL child JVM: runs zonky's embedded PostgreSQL on a persistent data directory,
 * creates the catalog database and user if missing, lets Iceberg's own {@link JdbcCatalog} create
 * its tables (schema version V1) and the namespace, writes the ready file and then waits for
 * SIGTERM, whose shutdown hook (zonky's) stops postgres.
 *
 * <p>Arguments: {@code <port> <data-dir> <binaries-dir> <database> <user> <catalog-name>
 * <warehouse> <namespace> <ready-file>}; the catalog password comes from the environment variable
 * {@code FLOE_CATALOG_PASSWORD} so that it does not show in the process list.
 */
public final class PostgresMain {

  /** Environment variable holding the Iceberg catalog properties ({@link #encode}). */
  public static final String CATALOG_PROPERTIES = "FLOE_CATALOG_PROPERTIES";

  private PostgresMain() {}

  /**
   * The catalog properties as one environment value (java.util.Properties text).
   *
   * @param props the properties
   * @return the text
   */
  public static String encode(Map<String, String> props) {
    Properties p = new Properties();
    p.putAll(props);
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      p.store(w, null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * The catalog properties back from {@link #encode}.
   *
   * @param text the environment value
   * @return the properties
   * @throws IOException when the text cannot be read
   */
  public static Map<String, String> decode(String text) throws IOException {
    Properties p = new Properties();
    p.load(new java.io.StringReader(text));
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    if (!out.containsKey("uri")) {
      throw new IllegalStateException(CATALOG_PROPERTIES + " holds no catalog connection");
    }
    return out;
  }

  /**
   * Starts PostgreSQL and initialises the catalog.
   *
   * @param args see the class comment
   * @throws Exception on a start failure
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dataDir = Path.of(args[1]);
    Path binariesDir = Path.of(args[2]);
    String database = args[3];
    String user = args[4];
    String catalogName = args[5];
    String warehouse = args[6];
    String namespace = args[7];
    Path readyFile = Path.of(args[8]);
    String password = System.getenv().getOrDefault("FLOE_CATALOG_PASSWORD", "");

    Files.createDirectories(dataDir);
    Files.createDirectories(binariesDir);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir.toFile())
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(new File(binariesDir.toString()))
            .setServerConfig("listen_addresses", "127.0.0.1")
            // the embedded server's builder turns this off (a test default): a commit then returns
            // before its WAL is written, and a crash of the server takes the last Iceberg commits
            // the job was told had succeeded (the catalog's pointer goes back a snapshot)
            .setServerConfig("synchronous_commit", "on")
            .setPGStartupWait(Duration.ofSeconds(120))
            .start();

    String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(adminUrl, "postgres", "postgres");
        Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
        s.execute("CREATE ROLE " + ident(user) + " LOGIN PASSWORD " + literal(password));
      } else {
        s.execute("ALTER ROLE " + ident(user) + " LOGIN PASSWORD " + literal(password));
      }
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
        s.execute("CREATE DATABASE " + ident(database) + " OWNER " + ident(user));
      }
    }

    // the catalog connection as the launcher built it (LakeNames.CatalogConnection, one definition
    // for the job, the stack and this set-up), passed in: floe-contract is not on this JVM's
    // classpath, whose jars are the broker's and the database's alone
    Map<String, String> props = decode(System.getenv().getOrDefault(CATALOG_PROPERTIES, ""));
    props.put("io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO");
    try (JdbcCatalog catalog = new JdbcCatalog()) {
      catalog.initialize(catalogName, props);
      Namespace ns = Namespace.of(namespace);
      if (!catalog.namespaceExists(ns)) {
        catalog.createNamespace(ns);
      }
    }

    exitWithPostmaster(dataDir);

    Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
    Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
    Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "floe: PostgreSQL ready on port "
            + port
            + ", catalog '"
            + catalogName
            + "' in database "
            + database
            + ", namespace "
            + namespace);
    Object forever = new Object();
    synchronized (forever) {
      while (true) {
        forever.wait();
      }
    }
    // pg (and postgres) are stopped by zonky's shutdown hook on SIGTERM
  }

  /**
   * Ends this JVM when the postmaster ends (killed, crashed): the launcher sees PostgreSQL as down
   * only through this process, and restarts it.
   */
  private static void exitWithPostmaster(Path dataDir) throws IOException {
    String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
    ProcessHandle postmaster =
        ProcessHandle.of(Long.parseLong(first))
            .orElseThrow(() -> new IOException("postmaster " + first + " is not running"));
    Thread watcher =
        new Thread(
            () -> {
              while (postmaster.isAlive()) {
                try {
                  postmaster.onExit().get(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                  // still running
                } catch (InterruptedException e) {
                  return;
                } catch (java.util.concurrent.ExecutionException e) {
                  break;
                }
              }
              System.err.println("floe: the postmaster (pid " + first + ") ended; exiting");
              Runtime.getRuntime().halt(3);
            },
            "floe-postmaster-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static boolean exists(Connection c, String sql, String value) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
