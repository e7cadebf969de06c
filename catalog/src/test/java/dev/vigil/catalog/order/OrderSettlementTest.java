package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.payments.Ledger;
import dev.vigil.payments.Payment;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Settling an order whose payment's outcome is unknown, against the real provider's ledger: what
 * the provider holds decides, and the stock, the provider's book and {@code orders_total} agree
 * with it afterwards. Expected values come from the test's own prices and quantities and from the
 * provider's ledger, never from the order code.
 */
class OrderSettlementTest {

  private final InMemoryOrders orders = new InMemoryOrders(10);

  @AfterEach
  void close() {
    orders.close();
  }

  @Test
  void aCaptureConfirmedByTheProviderIsConfirmedAndNeverVoided() throws Exception {
    long product = orders.product(1250, 20);
    Order pending = orders.pending(0, Map.of(product, 3), "paypal");
    Ledger.Outcome late =
        orders.ledger().capture(pending.paymentKey(), 3 * 1250, "USD", "paypal", null);
    String paymentId = ((Ledger.Captured) late).payment().id();

    Order settled = orders.settlement.settle(pending, null);

    assertThat(settled.status()).isEqualTo(Order.CONFIRMED);
    assertThat(settled.id()).isEqualTo(pending.id());
    assertThat(orders.status(pending.id())).isEqualTo("confirmed");
    assertThat(orders.paymentId(pending.id()))
        .as("the order names the provider's payment")
        .isEqualTo(paymentId);
    assertThat(orders.ledger().find(pending.paymentKey()))
        .as("the customer's money stays captured")
        .map(Payment::status)
        .hasValue(Payment.CAPTURED);
    assertThat(orders.stock(product)).as("the goods stay sold").isEqualTo(17);
    assertThat(orders.metric("orders", "status", "confirmed", "payment_method", "paypal"))
        .isEqualTo(1);
    assertThat(orders.metric("orders", "status", "cancelled", "payment_method", "paypal")).isZero();
    assertThat(orders.confirmations.depth()).as("its confirmation is queued").isEqualTo(1);
  }

  @Test
  void aPaymentTheProviderNeverSawIsVoidedSoALateCaptureFailsAndTheStockComesBack()
      throws Exception {
    long first = orders.product(500, 10);
    long second = orders.product(700, 4);
    Order pending = orders.pending(0, Map.of(first, 2, second, 4), "card");
    assertThat(orders.stock(second)).isZero();

    Order settled = orders.settlement.settle(pending, null);

    assertThat(settled.status()).isEqualTo(Order.CANCELLED);
    assertThat(orders.status(pending.id())).isEqualTo("cancelled");
    assertThat(orders.stock(first)).as("every line's stock is back").isEqualTo(10);
    assertThat(orders.stock(second)).isEqualTo(4);
    assertThat(orders.ledger().find(pending.paymentKey()))
        .map(Payment::status)
        .hasValue(Payment.VOIDED);
    assertThat(
            orders.ledger().capture(pending.paymentKey(), 2 * 500 + 4 * 700, "USD", "card", null))
        .as("a capture arriving after the cancellation is refused")
        .isInstanceOf(Ledger.Voided.class);
    assertThat(orders.metric("orders", "status", "cancelled", "payment_method", "card"))
        .isEqualTo(1);
    assertThat(orders.metric("orders", "status", "confirmed", "payment_method", "card")).isZero();
    assertThat(orders.confirmations.depth()).as("no confirmation for a cancelled order").isZero();
  }

  @Test
  void aCaptureOfAnotherAmountUnderTheKeyIsRefundedAndTheOrderCancelled() throws Exception {
    long product = orders.product(999, 5);
    Order pending = orders.pending(0, product, 2);
    orders.ledger().capture(pending.paymentKey(), 999, "USD", "card", null); // one unit, not two

    Order settled = orders.settlement.settle(pending, null);

    assertThat(settled.status()).isEqualTo(Order.CANCELLED);
    assertThat(orders.ledger().find(pending.paymentKey()))
        .as("the money that is not this order's payment goes back")
        .map(Payment::status)
        .hasValue(Payment.REFUNDED);
    assertThat(orders.stock(product)).isEqualTo(5);
  }

  @Test
  void aCaptureInAnotherCurrencyIsNotTakenForThisOrdersPayment() throws Exception {
    long product = orders.product(1000, 5);
    Order pending = orders.pending(0, product, 1);
    orders.ledger().capture(pending.paymentKey(), 1000, "EUR", "card", null);

    assertThat(orders.settlement.settle(pending, null).status()).isEqualTo(Order.CANCELLED);
    assertThat(orders.ledger().find(pending.paymentKey()))
        .map(Payment::status)
        .hasValue(Payment.REFUNDED);
  }

  @Test
  void aProviderThatDoesNotAnswerLeavesTheOrderPendingWithItsStockHeld() throws Exception {
    long product = orders.product(300, 8);
    Order pending = orders.pending(0, product, 3);
    orders.providerDown(true);

    Order settled = orders.settlement.settle(pending, null);

    assertThat(settled.status()).isEqualTo(Order.PENDING);
    assertThat(orders.status(pending.id())).isEqualTo("pending");
    assertThat(orders.stock(product)).as("not given back: it may still be paid").isEqualTo(5);
    assertThat(orders.ledger().find(pending.paymentKey()))
        .as("nothing voided at the provider")
        .isEmpty();
    assertThat(orders.metric("orders", "status", "cancelled", "payment_method", "card")).isZero();
  }

  @Test
  void settlingACancelledOrderAgainGivesItsStockBackOnceAndCountsItOnce() throws Exception {
    long product = orders.product(450, 6);
    Order pending = orders.pending(0, product, 4);

    orders.settlement.settle(pending, null);
    Order again = orders.settlement.settle(pending, null);

    assertThat(again.status()).as("the state the first settlement left").isEqualTo("cancelled");
    assertThat(orders.stock(product)).as("4 units back once, not 8").isEqualTo(6);
    assertThat(orders.metric("orders", "status", "cancelled", "payment_method", "card"))
        .isEqualTo(1);
  }

  @Test
  void settlingAConfirmedOrderAgainCountsAndQueuesItsConfirmationOnce() throws Exception {
    long product = orders.product(800, 6);
    Order pending = orders.pending(0, product, 1);
    orders.ledger().capture(pending.paymentKey(), 800, "USD", "card", null);

    orders.settlement.settle(pending, null);
    Order again = orders.settlement.settle(pending, null);

    assertThat(again.status()).isEqualTo("confirmed");
    assertThat(orders.metric("orders", "status", "confirmed", "payment_method", "card"))
        .isEqualTo(1);
    assertThat(orders.confirmations.depth()).isEqualTo(1);
  }

  @Test
  void aPendingOrderCancelledMeanwhileIsNotConfirmedOnALateCapture() throws Exception {
    long product = orders.product(800, 6);
    Order pending = orders.pending(0, product, 1);
    orders.repository.cancel(pending, System.currentTimeMillis()); // the reconciler came first
    orders.ledger().capture(pending.paymentKey(), 800, "USD", "card", null);

    Order settled = orders.settlement.settle(pending, null);

    assertThat(settled.status()).as("the state the reconciler left").isEqualTo("cancelled");
    assertThat(orders.status(pending.id())).isEqualTo("cancelled");
    assertThat(orders.metric("orders", "status", "confirmed", "payment_method", "card")).isZero();
    assertThat(orders.confirmations.depth()).isZero();
  }

  @Test
  void aFailedPaymentRecordedAfterTheOrderWasCancelledGivesNoStockBackASecondTime()
      throws Exception {
    long product = orders.product(800, 6);
    Order pending = orders.pending(0, product, 2);
    assertThat(orders.repository.cancel(pending, System.currentTimeMillis())).isTrue();

    boolean ended = orders.repository.failPayment(pending, System.currentTimeMillis());

    assertThat(ended).as("the second to end it is told it did not").isFalse();
    assertThat(orders.status(pending.id())).isEqualTo("cancelled");
    assertThat(orders.stock(product)).as("2 units back once, not 4").isEqualTo(6);
  }

  @Test
  void theRequestsReservedPlaceCarriesTheConfirmation() throws Exception {
    long product = orders.product(650, 6);
    Order pending = orders.pending(0, product, 2);
    orders.ledger().capture(pending.paymentKey(), 1300, "USD", "card", null);

    try (ConfirmationQueue.Slot slot = orders.confirmations.reserve()) {
      orders.settlement.settle(pending, slot);

      assertThat(slot.submitted()).as("the request's own place is used").isTrue();
    }
    assertThat(orders.confirmations.depth()).isEqualTo(1);
  }

  @Test
  void anOrderConfirmedWhileTheQueueIsFullStaysConfirmed() throws Exception {
    try (InMemoryOrders tight = new InMemoryOrders(1)) {
      long product = tight.product(650, 6);
      Order pending = tight.pending(0, product, 1);
      tight.ledger().capture(pending.paymentKey(), 650, "USD", "card", null);

      try (ConfirmationQueue.Slot taken = tight.confirmations.reserve()) {
        Order settled = tight.settlement.settle(pending, null);

        assertThat(settled.status()).isEqualTo(Order.CONFIRMED);
        assertThat(tight.status(pending.id())).isEqualTo("confirmed");
        assertThat(taken.submitted()).as("another request's place is not taken").isFalse();
      }
      assertThat(tight.confirmations.depth()).as("its confirmation could not be queued").isZero();
    }
  }
}
