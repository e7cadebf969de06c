package dev.vigil.catalog.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.confirmation.QueueFullException;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.payment.PaymentUnavailableException;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.http.RequestParams;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP handlers of {@code /api/orders}.
 *
 * <p>Placing an order is the seeds' flow, one business span per step inside {@code create_order}:
 * {@code check_inventory} (stock taken, order {@code pending}, one transaction) -> {@code process_payment}
 * (the payment provider, with timeout, retries and circuit breaker) -> confirmed -> {@code send_confirmation}
 * (queued for the worker). A place in the confirmation queue is reserved first, so a full queue refuses
 * the order before anything happens. A failed payment releases the stock and leaves the order
 * {@code payment_failed}: no order is ever left half-done.
 *
 * <p>Outcomes are counted in {@code orders_total{status, payment_method}} with status {@code confirmed},
 * {@code rejected} (not enough stock), {@code payment_failed} or {@code queue_full}.
 */
public final class OrderApi {

  /** Accepted payment methods (a closed set: it is a label value). */
  public static final List<String> PAYMENT_METHODS = List.of("card", "paypal", "bank_transfer");

  /** Most lines in one order. */
  public static final int MAX_ITEMS = 50;

  /** Most units of one line. */
  public static final int MAX_QUANTITY = 1000;

  /** The body of {@code POST /api/orders}. */
  record NewOrder(List<NewLine> items, @JsonProperty("payment_method") String paymentMethod) {}

  /** One requested line. */
  record NewLine(@JsonProperty("product_id") Long productId, Integer quantity) {}

  private static final Logger LOG = LoggerFactory.getLogger(OrderApi.class);

  private final OrderRepository repository;
  private final ProductCache products;
  private final PaymentClient payments;
  private final ConfirmationQueue confirmations;
  private final Tracing tracing;
  private final Counter orders;

  /**
   * @param repository orders in the database
   * @param products the product cache, refreshed for products whose stock an order changed
   * @param payments the payment provider's client
   * @param confirmations the queue of order confirmations
   * @param tracing business spans of the order flow
   * @param registry where {@code orders_total} is registered
   */
  public OrderApi(OrderRepository repository, ProductCache products, PaymentClient payments,
      ConfirmationQueue confirmations, Tracing tracing, PrometheusRegistry registry) {
    this.repository = repository;
    this.products = products;
    this.payments = payments;
    this.confirmations = confirmations;
    this.tracing = tracing;
    this.orders = Counter.builder().name("orders_total").help("Orders placed, by outcome and payment method")
        .labelNames("status", "payment_method").register(registry);
  }

  /**
   * {@code POST /api/orders}: places an order; 201 with the order once it is paid and confirmed; 409
   * when stock is short; 503 (with {@code Retry-After}) when the payment provider is unavailable or the
   * confirmation queue is full, with nothing reserved nor charged.
   *
   * @param ctx the request with a body {@code {"items":[{"product_id":1,"quantity":2}],
   *     "payment_method":"card"}} (payment_method optional, default card)
   * @throws SQLException on database failure (500)
   */
  public void place(Context ctx) throws SQLException {
    NewOrder body = JsonBody.read(ctx, NewOrder.class);
    String payment = body.paymentMethod() == null ? "card" : body.paymentMethod();
    if (!PAYMENT_METHODS.contains(payment)) {
      throw ProblemException.invalidField("payment_method", "must be one of " + PAYMENT_METHODS);
    }
    if (body.items() == null || body.items().isEmpty() || body.items().size() > MAX_ITEMS) {
      throw ProblemException.invalidField("items", "must list 1 to " + MAX_ITEMS + " lines");
    }
    Map<Long, Integer> quantities = new TreeMap<>();
    Map<Long, String> fieldOf = new HashMap<>();
    for (int i = 0; i < body.items().size(); i++) {
      NewLine line = body.items().get(i);
      String field = "items[" + i + "]";
      if (line == null) {
        throw ProblemException.invalidField(field, "must be an object with product_id and quantity");
      }
      if (line.productId() == null || line.productId() < 1) {
        throw ProblemException.invalidField(field + ".product_id", "is required: a positive integer");
      }
      if (line.quantity() == null || line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
        throw ProblemException.invalidField(field + ".quantity", "is required: an integer from 1 to " + MAX_QUANTITY);
      }
      int sum = quantities.merge(line.productId(), line.quantity(), Integer::sum);
      if (sum > MAX_QUANTITY) {
        throw ProblemException.invalidField(field + ".quantity",
            "brings product " + line.productId() + " to " + sum + " units; at most " + MAX_QUANTITY);
      }
      fieldOf.putIfAbsent(line.productId(), field + ".product_id");
    }
    try (ActiveSpan flow = tracing.span("create_order").set(TraceAttributes.PAYMENT_METHOD, payment).start();
        ConfirmationQueue.Slot confirmation = reserveConfirmation(ctx, payment)) {
      Order pending = checkInventory(quantities, fieldOf, payment);
      flow.set(TraceAttributes.ORDER_ID, pending.id()).set(TraceAttributes.ORDER_TOTAL_CENTS, pending.totalCents());
      processPayment(ctx, pending);
      Order confirmed = repository.confirm(pending);
      products.invalidate(quantities.keySet());
      try (ActiveSpan send = tracing.span("send_confirmation").set(TraceAttributes.ORDER_ID, confirmed.id()).start()) {
        confirmation.submit(confirmed.id(), confirmed.totalCents());
      }
      orders.labelValues(Order.CONFIRMED, payment).inc();
      LOG.atInfo().addKeyValue("order_id", confirmed.id()).addKeyValue("total_cents", confirmed.totalCents())
          .addKeyValue("payment_method", payment).log("order {} confirmed", confirmed.id());
      ctx.status(201).header("Location", "/api/orders/" + confirmed.id()).json(confirmed);
    }
  }

  private ConfirmationQueue.Slot reserveConfirmation(Context ctx, String payment) {
    try {
      return confirmations.reserve();
    } catch (QueueFullException e) {
      orders.labelValues("queue_full", payment).inc();
      ctx.header("Retry-After", "1");
      throw new ProblemException(Problem.of(503, e.getMessage()
              + ": the order was not placed, nothing was reserved nor charged; retry in a few seconds")
          .with("queue", ConfirmationQueue.NAME));
    }
  }

  private Order checkInventory(Map<Long, Integer> quantities, Map<Long, String> fieldOf, String payment)
      throws SQLException {
    try (ActiveSpan span = tracing.span("check_inventory").start()) {
      try {
        return repository.reserve(quantities, fieldOf, payment);
      } catch (ProblemException e) {
        if (e.problem().status() == 409) {
          orders.labelValues("rejected", payment).inc();
        }
        span.fail(Integer.toString(e.problem().status()), e.getMessage());
        throw e;
      }
    }
  }

  private void processPayment(Context ctx, Order pending) throws SQLException {
    try (ActiveSpan span = tracing.span("process_payment")
        .set(TraceAttributes.ORDER_ID, pending.id())
        .set(TraceAttributes.ORDER_TOTAL_CENTS, pending.totalCents()).start()) {
      try {
        payments.charge("order-" + pending.id(), pending.totalCents(), pending.paymentMethod());
      } catch (PaymentUnavailableException | RuntimeException e) {
        span.fail(e);
        repository.failPayment(pending);
        products.invalidate(pending.items().stream().map(Order.Line::productId).toList());
        orders.labelValues(Order.PAYMENT_FAILED, pending.paymentMethod()).inc();
        LOG.atWarn().addKeyValue("order_id", pending.id()).addKeyValue("error", e.getMessage())
            .log("order {} not placed: payment failed, stock released", pending.id());
        if (e instanceof PaymentUnavailableException unavailable) {
          ctx.header("Retry-After", Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
          throw new ProblemException(Problem.of(503, "order " + pending.id() + " was not placed: "
                  + unavailable.getMessage() + ". Its stock was released and nothing was charged; retry in "
                  + Math.max(1, unavailable.retryAfter().toSeconds()) + " s")
              .with("order_id", pending.id())
              .with("order_status", Order.PAYMENT_FAILED));
        }
        throw (RuntimeException) e;
      }
    }
  }

  /**
   * {@code GET /api/orders/{id}}: one order with its lines; 404 when unknown.
   *
   * @param ctx the request
   * @throws SQLException on database failure (500)
   */
  public void get(Context ctx) throws SQLException {
    long id = RequestParams.pathId(ctx, "id");
    ctx.json(repository.findById(id)
        .orElseThrow(() -> ProblemException.notFound("order " + id + " does not exist")));
  }
}
