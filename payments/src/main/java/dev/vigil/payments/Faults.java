package dev.vigil.payments;

import dev.vigil.telemetry.admin.ActiveFault;
import dev.vigil.telemetry.admin.FaultParam;
import dev.vigil.telemetry.admin.FaultRegistry;
import dev.vigil.telemetry.admin.FaultSpec;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.health.HealthStatus;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Failures and latency injected into payments, for tests and drills: a ratio of payments answered
 * {@code 503}, a delay added before every answer, and an unreachable provider (the connection is
 * closed without an answer, see {@link UnreachableProvider}).
 *
 * <p>Two sources add up: the baseline {@link Setting} from {@code VIGIL_PAYMENTS_FAILURE_RATE} and
 * {@code VIGIL_PAYMENTS_LATENCY_MS} (or {@link #set(Setting)} in tests), and the faults set through
 * the admin API in {@link #registry()}: {@code payment_errors} (params {@code ratio}), {@code
 * payment_latency} ({@code fixed_ms}) and {@code payment_unreachable}, each shown in {@code
 * vigil_fault_active}. The failure ratio is the larger of the two; the latencies add.
 */
public final class Faults implements AutoCloseable {

  /** The longest injectable latency. */
  public static final Duration MAX_LATENCY = Duration.ofSeconds(60);

  /** A ratio of payments answered 503. */
  public static final String PAYMENT_ERRORS = "payment_errors";

  /** Latency added to every payment answer. */
  public static final String PAYMENT_LATENCY = "payment_latency";

  /** The provider accepts connections and closes them without answering. */
  public static final String PAYMENT_UNREACHABLE = "payment_unreachable";

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
  private final FaultRegistry registry;

  /**
   * @param initial the baseline at start, e.g. from {@code VIGIL_PAYMENTS_FAILURE_RATE}
   * @param metrics where {@code vigil_fault_active} is registered
   */
  public Faults(Setting initial, PrometheusRegistry metrics) {
    this(initial, metrics, null);
  }

  /**
   * @param initial the baseline at start, e.g. from {@code VIGIL_PAYMENTS_FAILURE_RATE}
   * @param metrics where {@code vigil_fault_active} is registered
   * @param errors where a failure of the fault-expiry timer is recorded, or {@code null} to only
   *     log it
   */
  public Faults(Setting initial, PrometheusRegistry metrics, ErrorTracker errors) {
    this.setting = initial;
    this.registry =
        new FaultRegistry(
            metrics,
            List.of(
                FaultSpec.builder(PAYMENT_ERRORS, "answers a ratio of payments with 503")
                    .param(
                        FaultParam.required("ratio", 0, 1, false, "ratio of payments failed, 0..1"))
                    .build(),
                FaultSpec.builder(PAYMENT_LATENCY, "adds latency to every payment answer")
                    .param(
                        FaultParam.required(
                            "fixed_ms", 0, MAX_LATENCY.toMillis(), true, "added milliseconds"))
                    .build(),
                FaultSpec.builder(
                        PAYMENT_UNREACHABLE,
                        "closes every payment connection without answering (probes and /metrics"
                            + " still answer)")
                    .build()),
            errors);
  }

  /** The baseline setting (without the admin API's faults). */
  public Setting current() {
    return setting;
  }

  /**
   * Replaces the baseline setting.
   *
   * @param next the new setting
   */
  public void set(Setting next) {
    this.setting = next;
  }

  /** The faults the admin API changes. */
  public FaultRegistry registry() {
    return registry;
  }

  /** Whether {@code payment_unreachable} is on. */
  public boolean unreachable() {
    return registry.on(PAYMENT_UNREACHABLE);
  }

  /**
   * Applies the faults to one payment: waits the latency, then fails with the failure ratio.
   *
   * @throws ProblemException 503 when this payment is chosen to fail
   * @throws InterruptedException when the wait is interrupted (server stopping)
   */
  public void apply() throws InterruptedException {
    Setting now = setting;
    ActiveFault latency = registry.find(PAYMENT_LATENCY, FaultSpec.ANY_TARGET);
    long latencyMs =
        now.latency().toMillis() + (latency == null ? 0 : (long) latency.param("fixed_ms", 0));
    if (latencyMs > 0) {
      Thread.sleep(latencyMs);
    }
    ActiveFault errors = registry.find(PAYMENT_ERRORS, FaultSpec.ANY_TARGET);
    double ratio = Math.max(now.failureRate(), errors == null ? 0 : errors.param("ratio", 0));
    if (ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio) {
      throw new ProblemException(
          Problem.of(
              503,
              "the payment provider is unavailable (injected fault, failure ratio "
                  + ratio
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
    return setting.active() || !registry.active().isEmpty()
        ? HealthStatus.DEGRADED
        : HealthStatus.HEALTHY;
  }

  /** Stops the expiry timer of the admin API's faults. */
  @Override
  public void close() {
    registry.close();
  }
}
