package dev.floe.infra.cli;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.StackSettings;
import java.util.Map;
import java.util.Optional;

/**
 * Shared state of one {@code floe up}: the settings, the environment, and the platform stack once
 * started.
 */
public final class CliContext {

  private final StackSettings settings;
  private final Map<String, String> env;
  private EmbeddedStack stack;

  CliContext(StackSettings settings, Map<String, String> env) {
    this.settings = settings;
    this.env = Map.copyOf(env);
  }

  /**
   * The stack settings (ports, data and cache directories).
   *
   * @return the settings
   */
  public StackSettings settings() {
    return settings;
  }

  /**
   * The environment the CLI was started with.
   *
   * @return the variables
   */
  public Map<String, String> env() {
    return env;
  }

  /**
   * The running platform, once the platform component has started.
   *
   * @return the stack
   */
  public Optional<EmbeddedStack> stack() {
    return Optional.ofNullable(stack);
  }

  void stack(EmbeddedStack stack) {
    this.stack = stack;
  }
}
