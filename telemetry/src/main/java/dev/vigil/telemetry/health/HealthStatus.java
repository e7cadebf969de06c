package dev.vigil.telemetry.health;

import java.util.Locale;

/** The state of one dependency or of the whole service, worst last. */
public enum HealthStatus {
  /** Working as intended. */
  HEALTHY,
  /** Working with reduced function (e.g. a non-critical dependency is down); still ready. */
  DEGRADED,
  /** Not working: readiness fails and {@code /health/detailed} answers 503. */
  UNHEALTHY;

  /** The JSON spelling: {@code healthy}, {@code degraded} or {@code unhealthy}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The worse of two states.
   *
   * @param other another state
   * @return {@code this} or {@code other}, whichever is worse
   */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
