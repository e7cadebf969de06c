package dev.vigil.catalog.order;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code orders_total{status, payment_method}}: orders entering each state, and orders refused
 * before one was stored. Status values: {@code pending} (every stored order, once), {@code
 * confirmed}, {@code payment_failed}, {@code cancelled} (its final state, once), {@code rejected}
 * (stock short), {@code queue_full} (confirmation queue full). So {@code pending - (confirmed +
 * payment_failed + cancelled)} is the number of orders whose outcome is not settled yet.
 */
public final class OrderOutcomes {

  /** Stock short: refused, nothing stored. */
  public static final String REJECTED = "rejected";

  /** Confirmation queue full: refused, nothing stored. */
  public static final String QUEUE_FULL = "queue_full";

  private final Counter orders;

  /**
   * @param registry where {@code orders_total} is registered
   */
  public OrderOutcomes(PrometheusRegistry registry) {
    this.orders =
        Counter.builder()
            .name("orders_total")
            .help(
                "Orders entering each state (pending, confirmed, payment_failed, cancelled) or refused "
                    + "(rejected, queue_full), by payment method")
            .labelNames("status", "payment_method")
            .register(registry);
  }

  /**
   * Counts one order entering a state (or refused).
   *
   * @param status an {@link Order} status, {@link #REJECTED} or {@link #QUEUE_FULL}
   * @param paymentMethod the order's payment method
   */
  public void count(String status, String paymentMethod) {
    orders.labelValues(status, paymentMethod).inc();
  }
}
