package dev.vigil.catalog.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * Exposes a Resilience4j circuit breaker's state as a gauge with one series per state ({@code
 * state="closed"|"open"|"half_open"}), 1 for the current state and 0 for the others, read at each
 * scrape. Alerts match {@code NAME{state="open"} == 1}.
 */
public final class CircuitStateGauge {

  private static final CircuitBreaker.State[] STATES = {
    CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN
  };

  private CircuitStateGauge() {}

  /**
   * Registers the gauge.
   *
   * @param registry where the gauge is registered
   * @param name the metric name, e.g. {@code db_circuit_state}
   * @param help the metric's help text
   * @param breaker the breaker whose state the gauge reads
   * @throws IllegalArgumentException when {@code name} is already registered in {@code registry}
   */
  public static void register(
      PrometheusRegistry registry, String name, String help, CircuitBreaker breaker) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("state")
        .callback(
            cb -> {
              CircuitBreaker.State now = breaker.getState();
              for (CircuitBreaker.State state : STATES) {
                cb.call(now == state ? 1 : 0, state.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
  }
}
