package dev.vigil.payments;

import dev.vigil.telemetry.health.HealthStatus;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Failures and latency injected into payments, for tests and drills: a ratio of payments answered
 * {@code 503} and a delay added before every answer. Changed at run time through {@code PUT
 * /admin/faults}.
 */
public final class Faults {

  /** The longest injectable latency. */
  public static final Duration MAX_LATENCY = Duration.ofSeconds(60);

  /**
   * One fault setting.
   *
   * @param failureRate ratio 0..1 of payments answered 503 (0 none, 1 all)
   * @param latency delay added before every payment answer, 0..60 s
   */
  public record Setting(double failureRate, Duration latency) {

    /** No failures, no added latency. */
    public static final Setting NONE = new Setting(0, Duration.ZERO);

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public Setting {
      if (!(failureRate >= 0 && failureRate <= 1)) {
        throw new IllegalArgumentException(
            "failure_rate must be a ratio from 0 to 1, not " + failureRate);
      }
      if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
        throw new IllegalArgumentException(
            "latency must be from 0 to 60000 ms, not " + latency.toMillis());
      }
    }

    /** Whether anything is injected. */
    public boolean active() {
      return failureRate > 0 || !latency.isZero();
    }
  }

  private volatile Setting setting;

  /**
   * @param initial the setting at start, e.g. from {@code VIGIL_PAYMENTS_FAILURE_RATE}
   */
  public Faults(Setting initial) {
    this.setting = initial;
  }

  /** The current setting. */
  public Setting current() {
    return setting;
  }

  /**
   * Replaces the setting.
   *
   * @param next the new setting
   */
  public void set(Setting next) {
    this.setting = next;
  }

  /**
   * Applies the setting to one payment: waits the latency, then fails with the failure rate.
   *
   * @throws ProblemException 503 when this payment is chosen to fail
   * @throws InterruptedException when the wait is interrupted (server stopping)
   */
  public void apply() throws InterruptedException {
    Setting now = setting;
    if (!now.latency().isZero()) {
      Thread.sleep(now.latency());
    }
    if (now.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < now.failureRate()) {
      throw new ProblemException(
          Problem.of(
              503,
              "the payment provider is unavailable (injected fault, failure_rate "
                  + now.failureRate()
                  + "); retry later with the same Idempotency-Key"));
    }
  }

  /**
   * The health of the provider as its operators see it: degraded while faults are injected.
   *
   * @return {@link HealthStatus#DEGRADED} when a fault is active, {@link HealthStatus#HEALTHY}
   *     otherwise
   */
  public HealthStatus health() {
    return setting.active() ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
  }
}
