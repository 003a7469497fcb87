package dev.floe.infra.process;

/** Tells whether a started process serves its clients yet; exceptions count as "not yet". */
@FunctionalInterface
public interface ReadinessProbe {

  /**
   * Checks readiness once, quickly (a connect, an HTTP request, a file check).
   *
   * @return true when the process is ready
   * @throws Exception when the check itself fails; treated like false
   */
  boolean isReady() throws Exception;
}
