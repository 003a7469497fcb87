package dev.floe.query.trino;

import dev.floe.query.config.QuerySettings;
import io.trino.jdbc.TrinoDriver;
import io.trino.jdbc.TrinoStatement;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs one statement on Trino as the service's read-only user, within the row and time limits.
 *
 * <p>Every call opens its own JDBC connection: the Trino driver keeps no server-side session, so a
 * connection is only an HTTP client configuration (sharing the driver's connection pool), and a
 * Trino that was down is used again on the next call without any reconnect logic.
 *
 * <p>The time limit is enforced twice: Trino's {@code query_max_run_time} (the driver's query
 * timeout, in whole seconds) and a watchdog here that cancels the statement at the exact limit,
 * which also covers the time spent reading rows.
 */
@ApplicationScoped
public class TrinoGateway {

  private static final Logger LOG = Logger.getLogger(TrinoGateway.class);

  /** A column of a result: its name and Trino's type name. */
  public record Column(String name, String type) {}

  /** What one statement returned, already bounded by the row limit. */
  public record Result(
      List<Column> columns,
      List<List<Object>> rows,
      boolean truncated,
      String queryId,
      long elapsedMs) {}

  private final QuerySettings config;
  private final TrinoDriver driver = new TrinoDriver();
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "floe-query-watchdog");
            t.setDaemon(true);
            return t;
          });

  public TrinoGateway(QuerySettings config) {
    this.config = config;
  }

  @PreDestroy
  void stop() {
    watchdog.shutdownNow();
  }

  /**
   * Runs {@code sql}; with parameters it is a prepared statement and each parameter is bound
   * ({@link String}, {@link Long}, {@link Integer}), never spliced into the text.
   */
  public Result run(String sql, List<Object> parameters, int rowLimit) {
    return run(sql, parameters, rowLimit, config.timeLimit());
  }

  public Result run(String sql, List<Object> parameters, int rowLimit, Duration timeLimit) {
    long started = System.nanoTime();
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicReference<String> queryId = new AtomicReference<>();
    try (Connection connection = open();
        Statement statement =
            parameters.isEmpty()
                ? connection.createStatement()
                : connection.prepareStatement(sql)) {
      statement.setQueryTimeout((int) Math.max(1, (timeLimit.toMillis() + 999) / 1000));
      statement
          .unwrap(TrinoStatement.class)
          .setProgressMonitor(stats -> queryId.compareAndSet(null, stats.getQueryId()));
      ScheduledFuture<?> cancel =
          watchdog.schedule(
              () -> cancel(statement, timedOut), timeLimit.toMillis(), TimeUnit.MILLISECONDS);
      try (ResultSet rs = execute(statement, sql, parameters)) {
        return read(rs, rowLimit, queryId, started);
      } catch (SQLException e) {
        if (timedOut.get()) {
          throw timeout(timeLimit, queryId.get(), e);
        }
        throw TrinoErrors.translate(e, queryId.get());
      } finally {
        cancel.cancel(false);
      }
    } catch (SQLException e) {
      throw TrinoErrors.translate(e, queryId.get());
    }
  }

  /** A connection as the service's user, with the events table's catalog and schema as defaults. */
  public Connection open() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", config.trino().user());
    config.trino().password().ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("timeout", config.trino().requestTimeout().toMillis() + "ms");
    properties.setProperty("source", "floe-query-service");
    properties.setProperty("timezone", "UTC");
    String[] table = config.eventsTable().split("\\.");
    properties.setProperty("catalog", table[0]);
    properties.setProperty("schema", table[1]);
    Connection connection = driver.connect(config.trino().url(), properties);
    if (connection == null) {
      throw new SQLException("not a Trino JDBC URL: " + config.trino().url());
    }
    return connection;
  }

  private static ResultSet execute(Statement statement, String sql, List<Object> parameters)
      throws SQLException {
    if (parameters.isEmpty()) {
      return statement.executeQuery(sql);
    }
    PreparedStatement prepared = (PreparedStatement) statement;
    for (int i = 0; i < parameters.size(); i++) {
      Object value = parameters.get(i);
      if (value instanceof String s) {
        prepared.setString(i + 1, s);
      } else if (value instanceof Long l) {
        prepared.setLong(i + 1, l);
      } else if (value instanceof Integer n) {
        prepared.setInt(i + 1, n);
      } else {
        throw new IllegalArgumentException("unsupported parameter type " + value.getClass());
      }
    }
    return prepared.executeQuery();
  }

  private static Result read(
      ResultSet rs, int rowLimit, AtomicReference<String> queryId, long started)
      throws SQLException {
    String id = rs.unwrap(io.trino.jdbc.TrinoResultSet.class).getQueryId();
    queryId.compareAndSet(null, id);
    ResultSetMetaData meta = rs.getMetaData();
    int count = meta.getColumnCount();
    List<Column> columns = new ArrayList<>(count);
    int[] types = new int[count];
    for (int i = 1; i <= count; i++) {
      columns.add(new Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
      types[i - 1] = meta.getColumnType(i);
    }
    List<List<Object>> rows = new ArrayList<>();
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() == rowLimit) {
        // One row more than the limit exists: closing the result set cancels the rest in Trino.
        truncated = true;
        break;
      }
      List<Object> row = new ArrayList<>(count);
      for (int i = 1; i <= count; i++) {
        row.add(JsonValues.read(rs, i, types[i - 1]));
      }
      rows.add(row);
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    return new Result(columns, rows, truncated, id, elapsedMs);
  }

  private static void cancel(Statement statement, AtomicBoolean timedOut) {
    timedOut.set(true);
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("Cancelling a query at its time limit failed: %s", e.getMessage());
    }
  }

  private static QueryFailure timeout(Duration limit, String queryId, SQLException cause) {
    return new QueryFailure(
        504,
        "query_timeout",
        "the query ran longer than the time limit of "
            + limit.toMillis()
            + " ms and was cancelled in Trino"
            + (queryId == null ? "" : " (query " + queryId + ")"),
        cause);
  }
}
