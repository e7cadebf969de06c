package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The refund audit's sweep over confirmed orders, against the real provider's ledger: a refund made
 * at the provider raises {@code orders_confirmed_refunded_total} once, however many passes see it,
 * and a sweep of more than one batch reaches every order and starts over.
 */
class RefundAuditTest {

  private final InMemoryOrders orders = new InMemoryOrders(10);

  @AfterEach
  void close() {
    orders.close();
  }

  /** {@code n} confirmed orders of one unit each, in id order; their payments captured. */
  private List<Order> confirmed(int n) throws Exception {
    long product = orders.product(100, n);
    List<Order> placed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Order order = orders.pending(0, product, 1);
      orders.ledger().capture(order.paymentKey(), 100, "USD", "card", null);
      assertThat(orders.repository.confirm(order, "pay_" + i, System.currentTimeMillis())).isTrue();
      placed.add(order);
    }
    return placed;
  }

  @Test
  void aRefundTheAuditSeesRaisesTheMetricOnceHoweverManyPassesSeeIt() throws Exception {
    List<Order> placed = confirmed(3);
    assertThat(orders.exported("orders_confirmed_refunded"))
        .as("exported at 0 from the start, so an alert on its increase has a baseline")
        .isTrue();
    assertThat(orders.metric("orders_confirmed_refunded")).isZero();
    assertThat(orders.refunds.runOnce()).isZero();

    orders.ledger().voidKey(placed.get(1).paymentKey(), "USD");
    orders.ledger().voidKey(placed.get(2).paymentKey(), "USD");

    assertThat(orders.refunds.runOnce()).as("both refunds seen").isEqualTo(2);
    assertThat(orders.metric("orders_confirmed_refunded")).isEqualTo(2);
    assertThat(orders.refunds.runOnce()).as("still refunded on the next pass").isEqualTo(2);
    assertThat(orders.metric("orders_confirmed_refunded"))
        .as("each order counted once, not once per pass")
        .isEqualTo(2);
  }

  @Test
  void aPaymentTheProviderDoesNotKnowIsNotTakenForARefund() throws Exception {
    long product = orders.product(100, 5);
    Order order = orders.pending(0, product, 1);
    orders.repository.confirm(order, "pay_unknown", System.currentTimeMillis());

    assertThat(orders.refunds.runOnce()).isZero();
    assertThat(orders.metric("orders_confirmed_refunded")).isZero();
  }

  @Test
  void aSweepOfMoreThanOneBatchReachesEveryConfirmedOrderAndStartsOver() throws Exception {
    int n = RefundAudit.BATCH + RefundAudit.BATCH / 2;
    List<Order> placed = confirmed(n);
    orders.ledger().voidKey(placed.get(3).paymentKey(), "USD"); // in the first batch
    orders.ledger().voidKey(placed.get(RefundAudit.BATCH + 7).paymentKey(), "USD"); // the second

    assertThat(orders.refunds.runOnce()).as("orders 1..100").isEqualTo(1);
    assertThat(orders.metric("orders_confirmed_refunded")).isEqualTo(1);
    assertThat(orders.refunds.runOnce()).as("orders 101..150").isEqualTo(1);
    assertThat(orders.metric("orders_confirmed_refunded")).isEqualTo(2);
    assertThat(orders.refunds.runOnce()).as("the end was reached: from order 1 again").isEqualTo(1);
    assertThat(orders.metric("orders_confirmed_refunded")).isEqualTo(2);
  }

  @Test
  void aSweepOfExactlyOneBatchStartsOverOnlyAfterAnEmptyBatch() throws Exception {
    List<Order> placed = confirmed(RefundAudit.BATCH);
    orders.ledger().voidKey(placed.get(0).paymentKey(), "USD");

    assertThat(orders.refunds.runOnce()).as("orders 1..100, a full batch").isEqualTo(1);
    assertThat(orders.refunds.runOnce()).as("after order 100: nothing, the end").isZero();
    assertThat(orders.refunds.runOnce()).as("from order 1 again").isEqualTo(1);
  }

  @Test
  void aProviderThatStopsAnsweringEndsThePassAndTheNextResumesWhereItStopped() throws Exception {
    List<Order> placed = confirmed(2);
    orders.ledger().voidKey(placed.get(0).paymentKey(), "USD");
    orders.providerDown(true);

    assertThat(orders.refunds.runOnce()).isZero();
    assertThat(orders.metric("orders_confirmed_refunded")).isZero();

    orders.providerDown(false);
    assertThat(orders.refunds.runOnce()).as("order 1 checked on the next pass").isEqualTo(1);
    assertThat(orders.metric("orders_confirmed_refunded")).isEqualTo(1);
  }

  @Test
  void pendingAndCancelledOrdersAreNotAudited() throws Exception {
    long product = orders.product(100, 5);
    Order pending = orders.pending(0, product, 1);
    Order cancelled = orders.pending(0, product, 1);
    orders.repository.cancel(cancelled, System.currentTimeMillis());
    for (Order o : List.of(pending, cancelled)) {
      orders.ledger().capture(o.paymentKey(), 100, "USD", "card", null);
      orders.ledger().voidKey(o.paymentKey(), "USD");
    }

    assertThat(orders.refunds.runOnce()).isZero();
    assertThat(orders.metric("orders_confirmed_refunded")).isZero();
  }
}
