package dev.vigil.telemetry.health;

/**
 * One named dependency check, e.g. "database reachable".
 *
 * <p>Return {@link HealthStatus#HEALTHY} or {@link HealthStatus#DEGRADED}; throw to report {@link
 * HealthStatus#UNHEALTHY} with the exception's message as the error. Checks run with a time limit
 * set by the {@link HealthRegistry}; a check that exceeds it is unhealthy.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Checks the dependency.
   *
   * @return the status when the dependency answered
   * @throws Exception when the dependency is unusable; the message is shown as the check's error
   */
  HealthStatus check() throws Exception;
}
