package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.payments.Payment;
import dev.vigil.telemetry.errors.ErrorGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's passes, run by hand against an in-memory database and the real provider: which
 * pending orders a pass takes (only those older than the min age, so it never races a live
 * request), what {@code orders_pending_overdue} says, and what a failed pass leaves. The ages are
 * set by the test (60 s min age, 30 s interval: overdue after 90 s), far from every boundary the
 * machine's speed could move.
 */
class OrderReconcilerTest {

  private static final long SECOND = 1000;

  private final InMemoryOrders orders = new InMemoryOrders(10);

  @AfterEach
  void close() {
    orders.close();
  }

  @Test
  void aPassSettlesTheOrdersOlderThanTheMinAgeAndLeavesTheYoungerOnesToTheirRequests()
      throws Exception {
    long product = orders.product(400, 20);
    Order captured = orders.pending(70 * SECOND, product, 1);
    Order neverPaid = orders.pending(65 * SECOND, product, 2);
    Order live = orders.pending(10 * SECOND, product, 3);
    orders.ledger().capture(captured.paymentKey(), 400, "USD", "card", null);

    int settled = orders.reconciler.runOnce();

    assertThat(settled).isEqualTo(2);
    assertThat(orders.status(captured.id())).isEqualTo("confirmed");
    assertThat(orders.status(neverPaid.id())).isEqualTo("cancelled");
    assertThat(orders.status(live.id()))
        .as("a request may still be paying it: not touched")
        .isEqualTo("pending");
    assertThat(orders.ledger().find(live.paymentKey()))
        .as("its key not voided under the request")
        .isEmpty();
    assertThat(orders.stock(product)).as("20 - 1 confirmed - 3 still held").isEqualTo(16);
    assertThat(orders.metric("orders_reconciler_runs", "outcome", "success")).isEqualTo(1);
    assertThat(orders.metric("orders_pending_overdue")).isZero();
  }

  @Test
  void ordersTheProviderCannotSettleArePendingOverdueOnceOlderThanMinAgePlusOneInterval()
      throws Exception {
    long product = orders.product(400, 20);
    orders.pending(100 * SECOND, product, 1); // > 90 s: overdue
    orders.pending(95 * SECOND, product, 1); // > 90 s: overdue
    Order taken = orders.pending(75 * SECOND, product, 1); // taken by the pass, not overdue yet
    orders.pending(5 * SECOND, product, 1);
    orders.providerDown(true);

    int settled = orders.reconciler.runOnce();

    assertThat(settled).as("the provider answered nothing").isZero();
    assertThat(orders.status(taken.id())).isEqualTo("pending");
    assertThat(orders.metric("orders_pending_overdue")).isEqualTo(2);
    assertThat(orders.metric("orders_reconciler_runs", "outcome", "success")).isEqualTo(1);
    assertThat(orders.reconciler.overdueAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(orders.reconciler.minAge()).isEqualTo(Duration.ofSeconds(60));

    orders.providerDown(false);
    assertThat(orders.reconciler.runOnce()).isEqualTo(3);
    assertThat(orders.metric("orders_pending_overdue"))
        .as("settled once the provider answers")
        .isZero();
    assertThat(orders.count(Order.CANCELLED)).isEqualTo(3);
  }

  @Test
  void aPassWithTheDatabaseDownSaysUnknownCountsAFailureAndRecordsTheError() throws Exception {
    long product = orders.product(400, 20);
    orders.pending(100 * SECOND, product, 1);
    orders.providerDown(true);
    orders.reconciler.runOnce();
    assertThat(orders.metric("orders_pending_overdue")).isEqualTo(1);
    orders.database.close();

    assertThat(orders.reconciler.runOnce()).isZero();

    assertThat(orders.metric("orders_pending_overdue"))
        .as("not the last pass's 1, nor a reassuring 0: unknown")
        .isNaN();
    assertThat(orders.metric("orders_reconciler_runs", "outcome", "failure")).isEqualTo(1);
    assertThat(orders.metric("orders_reconciler_runs", "outcome", "success")).isEqualTo(1);
    assertThat(orders.errors.groups()).hasSize(1);
    ErrorGroup failure = orders.errors.groups().getFirst();
    assertThat(failure.workers()).containsExactly(OrderReconciler.WORKER);
  }

  @Test
  void aPassAlsoReportsAConfirmedOrderWhosePaymentWasRefundedAtTheProvider() throws Exception {
    long product = orders.product(400, 20);
    Order order = orders.pending(0, product, 1);
    orders.ledger().capture(order.paymentKey(), 400, "USD", "card", null);
    orders.settlement.settle(order, null);
    orders.ledger().voidKey(order.paymentKey(), "USD"); // refunded behind the catalog's back

    orders.reconciler.runOnce();

    assertThat(orders.ledger().find(order.paymentKey()))
        .map(Payment::status)
        .hasValue(Payment.REFUNDED);
    assertThat(orders.metric("orders_confirmed_refunded")).isEqualTo(1);
    assertThat(orders.status(order.id()))
        .as("a person decides, not the pass")
        .isEqualTo("confirmed");
  }

  @Test
  void startedPassesBeginOnceTheSchemaIsReadyAndStopWhenClosed() throws Exception {
    try (InMemoryOrders fast = new InMemoryOrders(10)) {
      OrderReconciler reconciler =
          new OrderReconciler(
              fast.repository,
              fast.settlement,
              Duration.ofMillis(20),
              Duration.ZERO,
              new io.prometheus.metrics.model.registry.PrometheusRegistry(),
              fast.errors,
              fast.refunds);
      long product = fast.product(400, 20);
      Order waiting = fast.pending(SECOND, product, 1);
      AtomicBoolean ready = new AtomicBoolean(false);

      reconciler.start(ready::get);
      Thread.sleep(200);
      assertThat(fast.status(waiting.id()))
          .as("no pass before the schema is current")
          .isEqualTo("pending");

      ready.set(true);
      Instant deadline = Instant.now().plusSeconds(20);
      while (fast.status(waiting.id()).equals("pending")) {
        assertThat(Instant.now()).as("a pass within 20 s").isBefore(deadline);
        Thread.sleep(20);
      }
      assertThat(fast.status(waiting.id())).isEqualTo("cancelled");

      reconciler.close();
      Order afterStop = fast.pending(SECOND, product, 1);
      Thread.sleep(300); // 15 intervals
      assertThat(fast.status(afterStop.id())).as("no pass after close").isEqualTo("pending");
    }
  }
}
