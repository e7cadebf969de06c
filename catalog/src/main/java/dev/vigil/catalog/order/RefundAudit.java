package dev.vigil.catalog.order;

import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.payment.PaymentUnavailableException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-checks confirmed orders against the payment provider, a batch per reconciler pass, and reports
 * every one whose payment the provider now holds as refunded: the catalog sold goods whose money
 * went back (a void by someone holding the provider's credentials, a chargeback, a refund made
 * outside the catalog). The order is not changed: whether to stop the shipment or charge again is a
 * person's decision (runbook ConfirmedOrderRefunded).
 *
 * <p>Each pass looks up to {@value #BATCH} confirmed orders after the last one checked, in id
 * order, and starts again from the first once it reaches the end: with N confirmed orders a refund
 * is noticed within about N / {@value #BATCH} passes ({@code VIGIL_RECONCILE_INTERVAL} each).
 *
 * <p>Metric: {@code orders_confirmed_refunded_total}, confirmed orders found refunded, each counted
 * once per process (a restart counts the ones still refunded again: they still need a person).
 */
public final class RefundAudit {

  /** Confirmed orders looked up per pass. */
  public static final int BATCH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(RefundAudit.class);

  private final OrderRepository repository;
  private final PaymentClient payments;
  private final Counter refunded;
  private final Set<Long> reported = ConcurrentHashMap.newKeySet();
  private long cursor;

  /**
   * @param repository orders in the database
   * @param payments the provider, looked up by each order's payment key
   * @param registry where {@code orders_confirmed_refunded_total} is registered (starts at 0)
   */
  public RefundAudit(
      OrderRepository repository, PaymentClient payments, PrometheusRegistry registry) {
    this.repository = repository;
    this.payments = payments;
    this.refunded =
        Counter.builder()
            .name("orders_confirmed_refunded_total")
            .help("Confirmed orders whose payment the provider reports refunded, once per order")
            .register(registry); // a counter without labels is exported at 0 from here on
  }

  /**
   * Checks the next batch of confirmed orders. A provider that does not answer ends the batch
   * early; the next pass resumes where this one stopped.
   *
   * @return the confirmed orders found refunded in this batch (newly reported or not)
   * @throws SQLException when the orders cannot be read
   */
  public synchronized int runOnce() throws SQLException {
    List<OrderRepository.Confirmed> batch = repository.confirmedAfter(cursor, BATCH);
    int found = 0;
    for (OrderRepository.Confirmed order : batch) {
      Optional<PaymentClient.ProviderPayment> payment;
      try {
        payment = payments.find(order.paymentKey());
      } catch (PaymentUnavailableException e) {
        return found; // resume from this order next pass
      }
      cursor = order.orderId();
      if (payment.isPresent() && "refunded".equals(payment.get().status())) {
        found++;
        if (reported.add(order.orderId())) {
          refunded.inc();
          LOG.atWarn()
              .addKeyValue("order_id", order.orderId())
              .addKeyValue("payment_id", payment.get().paymentId())
              .log(
                  "order {} is confirmed but its payment {} was refunded at the provider",
                  order.orderId(),
                  payment.get().paymentId());
        }
      }
    }
    if (batch.size() < BATCH) {
      cursor = 0; // the end: start over next pass
    }
    return found;
  }
}
