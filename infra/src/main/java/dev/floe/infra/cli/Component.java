package dev.floe.infra.cli;

import java.util.Map;

/**
 * Something {@code floe up} starts, in order, and stops in reverse order: the platform first, later
 * the Flink job, producer-service replicas and the query-service (each typically a {@link
 * dev.floe.infra.process.SupervisedProcess} whose pid file lives in {@code <dataDir>/run}, so that
 * {@code floe stop} and {@code floe status} see it too).
 */
public interface Component extends AutoCloseable {

  /**
   * The name shown by the CLI.
   *
   * @return e.g. "platform"
   */
  String name();

  /**
   * Starts the component and waits until it is ready.
   *
   * @param context what earlier components provide (the running platform stack)
   * @throws Exception if it does not come up
   */
  void start(CliContext context) throws Exception;

  /**
   * What a user connects to, printed after start.
   *
   * @return label to address, in display order
   */
  Map<String, String> endpoints();

  /** Stops what {@link #start} started; no process may be left running. */
  @Override
  void close();
}
