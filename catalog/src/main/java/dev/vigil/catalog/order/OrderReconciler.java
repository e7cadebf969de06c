package dev.vigil.catalog.order;

import dev.vigil.telemetry.errors.ErrorTracker;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every order left {@code pending} (a payment whose answer never came, a capture the
 * catalog could not record, a process that stopped mid-order) against the payment provider, once
 * the schema is current at start and then every {@code VIGIL_RECONCILE_INTERVAL}. An order is taken
 * once it has been pending for {@link #minAge()} (longer than a request can spend paying it), and
 * settled by {@link OrderSettlement}: confirmed when captured, voided and cancelled (stock back)
 * when not.
 *
 * <p>Metrics: {@code orders_pending_overdue}, orders pending longer than {@link #overdueAfter()}
 * (min age plus one interval: a pass should have settled them), measured at the end of every pass;
 * non-zero means the provider or the database kept the reconciler from settling them (alert
 * OrdersPendingOverdue). When a pass fails (the database is down) the gauge is NaN, unknown, rather
 * than the last pass's count: {@code orders_pending_overdue > 0} is then false, so that alert does
 * not speak for an unknown state; the database's own signals ({@code db_circuit_state}, readiness)
 * and {@code orders_reconciler_runs_total{outcome="failure"}} do. {@code
 * orders_reconciler_runs_total{outcome="success"|"failure"}} counts passes.
 *
 * <p>A failed pass is an error of the service like a failed request: grouped by fingerprint in the
 * error tracker under the worker {@value #WORKER} (no trace or request id: a pass belongs to no
 * request), counted in {@code app_exceptions_total{type}} and logged at ERROR with its stack trace.
 */
public final class OrderReconciler implements AutoCloseable {

  /** The worker name of the reconciler's failures and thread. */
  public static final String WORKER = "order-reconciler";

  private static final Logger LOG = LoggerFactory.getLogger(OrderReconciler.class);

  private final OrderRepository repository;
  private final OrderSettlement settlement;
  private final Duration interval;
  private final Duration minAge;
  private final Gauge overdue;
  private final Counter runs;
  private final ErrorTracker errors;
  private final RefundAudit refunds;
  private volatile Thread worker;

  /**
   * @param repository orders in the database
   * @param settlement settles one order
   * @param interval time between two passes
   * @param minAge how long an order must have been pending before a pass takes it: longer than a
   *     request can spend on its payment (attempts x timeout + backoff), so a pass never races a
   *     live request
   * @param registry where the metrics are registered
   * @param errors where failed passes are recorded, the service's error tracker
   * @param refunds re-checks a batch of confirmed orders after each pass's settlements
   */
  public OrderReconciler(
      OrderRepository repository,
      OrderSettlement settlement,
      Duration interval,
      Duration minAge,
      PrometheusRegistry registry,
      ErrorTracker errors,
      RefundAudit refunds) {
    this.refunds = refunds;
    this.errors = errors;
    this.repository = repository;
    this.settlement = settlement;
    this.interval = interval;
    this.minAge = minAge;
    this.overdue =
        Gauge.builder()
            .name("orders_pending_overdue")
            .help(
                "Orders pending longer than the reconciler's minimum age plus one interval, at the last pass")
            .register(registry);
    this.runs =
        Counter.builder()
            .name("orders_reconciler_runs_total")
            .help("Reconciliation passes by outcome (success, failure)")
            .labelNames("outcome")
            .register(registry);
  }

  /** How long an order is left to its request before a pass takes it. */
  public Duration minAge() {
    return minAge;
  }

  /** How long an order may stay pending before it counts as overdue: min age plus one interval. */
  public Duration overdueAfter() {
    return minAge.plus(interval);
  }

  /**
   * Starts passes on a virtual thread: the first once {@code ready} says the schema is current,
   * then one every interval. Returns at once. Call once.
   *
   * @param ready whether the database schema is current
   */
  public void start(BooleanSupplier ready) {
    worker =
        Thread.ofVirtual()
            .name(WORKER)
            .uncaughtExceptionHandler(errors.uncaughtIn(WORKER))
            .start(
                () -> {
                  try {
                    while (!ready.getAsBoolean()) {
                      Thread.sleep(100);
                    }
                    while (!Thread.currentThread().isInterrupted()) {
                      runOnce();
                      Thread.sleep(interval);
                    }
                  } catch (InterruptedException e) {
                    // stopping
                  }
                });
  }

  /**
   * One pass: settles every order pending for at least the min age, measures the overdue ones, then
   * re-checks a batch of confirmed orders for refunds ({@link RefundAudit}).
   *
   * @return how many orders this pass settled (confirmed or cancelled)
   */
  public int runOnce() {
    long now = System.currentTimeMillis();
    int settled = 0;
    try {
      List<Long> ids = repository.pendingSince(now - minAge.toMillis());
      for (long id : ids) {
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
        Order order = repository.findById(id).orElse(null);
        if (order != null
            && order.status().equals(Order.PENDING)
            && !settlement.settle(order, null).status().equals(Order.PENDING)) {
          settled++;
        }
      }
      overdue.set(
          repository.countPendingSince(System.currentTimeMillis() - overdueAfter().toMillis()));
      refunds.runOnce();
      runs.labelValues("success").inc();
      if (!ids.isEmpty()) {
        LOG.atInfo()
            .addKeyValue("pending", ids.size())
            .addKeyValue("settled", settled)
            .log("reconciliation: {} of {} pending orders settled", settled, ids.size());
      }
    } catch (SQLException | RuntimeException e) {
      // unknown, not "as at the last pass": a stale 0 would read as "nothing overdue" while the
      // database is down
      overdue.set(Double.NaN);
      runs.labelValues("failure").inc();
      errors.recordWorkerFailure(
          WORKER, "reconciliation pass failed, next in " + interval.toMillis() + " ms", e);
    }
    return settled;
  }

  /** Stops the passes (a pass under way ends after its current order); waits up to 5 s for it. */
  @Override
  public void close() {
    Thread t = worker;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
