package dev.vigil.catalog.order;

import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.confirmation.QueueFullException;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.payment.PaymentClient.ProviderPayment;
import dev.vigil.catalog.payment.PaymentUnavailableException;
import dev.vigil.catalog.product.ProductCache;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a pending order whose payment's outcome is unknown, against the provider's ledger:
 * confirmed when the provider holds a capture of the order's amount and currency under the order's
 * key; otherwise the key is voided at the provider (refunding a capture that is not this payment,
 * or forbidding a capture still on its way) and the order is cancelled with its stock given back.
 * Used by the request right after a timeout, and by the {@link OrderReconciler} for every order
 * left pending.
 */
public final class OrderSettlement {

  private static final Logger LOG = LoggerFactory.getLogger(OrderSettlement.class);

  private final OrderRepository repository;
  private final PaymentClient payments;
  private final ProductCache products;
  private final ConfirmationQueue confirmations;
  private final OrderOutcomes outcomes;

  /**
   * @param repository orders in the database
   * @param payments the provider's client (look-up and void)
   * @param products the product cache, refreshed when stock is given back
   * @param confirmations where the confirmation of an order confirmed here is queued
   * @param outcomes {@code orders_total}
   */
  public OrderSettlement(
      OrderRepository repository,
      PaymentClient payments,
      ProductCache products,
      ConfirmationQueue confirmations,
      OrderOutcomes outcomes) {
    this.repository = repository;
    this.payments = payments;
    this.products = products;
    this.confirmations = confirmations;
    this.outcomes = outcomes;
  }

  /**
   * Settles one pending order.
   *
   * @param pending an order as stored, with its lines and payment key
   * @param slot a place reserved in the confirmation queue for it, or {@code null} to reserve one
   * @return the order as it now stands: {@code confirmed} or {@code cancelled}, or still {@code
   *     pending} when the provider could not be asked (nothing changed then)
   * @throws SQLException on database failure (the provider may have been voided; a later settlement
   *     finds the void and cancels)
   */
  public Order settle(Order pending, ConfirmationQueue.Slot slot) throws SQLException {
    String key = pending.paymentKey();
    try {
      Optional<ProviderPayment> found = payments.find(key);
      if (found.isPresent()
          && found.get().captured()
          && found.get().matches(key, pending.totalCents(), Order.CURRENCY)) {
        return confirm(pending, found.get().paymentId(), slot);
      }
      ProviderPayment voided = payments.voidPayment(key);
      LOG.atWarn()
          .addKeyValue("order_id", pending.id())
          .addKeyValue("payment_status", voided.status())
          .log(
              "order {}: payment not captured as ordered, key voided at the provider ({})",
              pending.id(),
              voided.status());
    } catch (PaymentUnavailableException e) {
      LOG.atWarn()
          .addKeyValue("order_id", pending.id())
          .addKeyValue("error", e.getMessage())
          .log("order {} stays pending: {}", pending.id(), e.getMessage());
      return pending;
    }
    if (repository.cancel(pending, System.currentTimeMillis())) {
      outcomes.count(Order.CANCELLED, pending.paymentMethod());
      products.invalidate(pending.items().stream().map(Order.Line::productId).toList());
      LOG.atInfo()
          .addKeyValue("order_id", pending.id())
          .log("order {} cancelled: its payment was voided, its stock given back", pending.id());
      return pending.withStatus(Order.CANCELLED);
    }
    return current(pending);
  }

  /**
   * Confirms a pending order on a payment the provider captured, and queues its confirmation when
   * the queue has room (it is logged otherwise: the order stays confirmed).
   *
   * @param pending the order
   * @param paymentId the provider's payment id
   * @param reserved a place reserved in the confirmation queue, or {@code null} to reserve one
   * @return the order as it now stands
   * @throws SQLException on database failure; the order stays pending then
   */
  private Order confirm(Order pending, String paymentId, ConfirmationQueue.Slot reserved)
      throws SQLException {
    if (!repository.confirm(pending, paymentId, System.currentTimeMillis())) {
      return current(pending);
    }
    outcomes.count(Order.CONFIRMED, pending.paymentMethod());
    if (reserved != null) {
      reserved.submit(pending.id(), pending.totalCents());
    } else {
      submitConfirmation(pending);
    }
    LOG.atInfo()
        .addKeyValue("order_id", pending.id())
        .addKeyValue("payment_id", paymentId)
        .log("order {} confirmed on payment {} found at the provider", pending.id(), paymentId);
    return pending.withStatus(Order.CONFIRMED);
  }

  private void submitConfirmation(Order pending) {
    try (ConfirmationQueue.Slot slot = confirmations.reserve()) {
      slot.submit(pending.id(), pending.totalCents());
    } catch (QueueFullException e) {
      LOG.atWarn()
          .addKeyValue("order_id", pending.id())
          .log(
              "order {} confirmed by reconciliation; its confirmation was not queued: {}",
              pending.id(),
              e.getMessage());
    }
  }

  private Order current(Order order) throws SQLException {
    return repository.findById(order.id()).orElse(order);
  }
}
