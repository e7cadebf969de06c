package dev.vigil.catalog.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.confirmation.QueueFullException;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.payment.PaymentClient.ProviderPayment;
import dev.vigil.catalog.payment.PaymentUnavailableException;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.http.RequestParams;
import dev.vigil.telemetry.logging.RequestIds;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP handlers of {@code /api/orders}.
 *
 * <p>Placing an order is a saga, one business span per step inside {@code create_order}: {@code
 * check_inventory} (stock taken, order {@code pending} with a fresh UUID as its payment's
 * idempotency key, one transaction) -> {@code process_payment} (the payment provider, with timeout,
 * retries and circuit breaker) -> {@code confirmed} -> {@code send_confirmation} (queued for the
 * worker). A place in the confirmation queue is reserved first, so a full queue refuses the order
 * before anything happens. The client is told only what is known (docs/orders.md):
 *
 * <ul>
 *   <li>201: paid (the provider's capture matches the order's amount and currency) and confirmed;
 *   <li>503 {@code payment_failed}: the provider answered it captured nothing; stock given back;
 *   <li>202 + {@code Location}: the payment's outcome is unknown (timeout) and could not be settled
 *       at once; the {@link OrderReconciler} settles it, the client polls the order;
 *   <li>503 {@code cancelled}: the outcome was unknown, the payment was voided at the provider.
 * </ul>
 *
 * A client {@code Idempotency-Key} header (IETF draft "The Idempotency-Key HTTP Header Field")
 * makes a retry answer the first order instead of placing a second; reusing a key with another body
 * is 422. Outcomes are counted by {@link OrderOutcomes}.
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

  /** The request header carrying the client's idempotency key. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final OrderRepository repository;
  private final ProductCache products;
  private final PaymentClient payments;
  private final ConfirmationQueue confirmations;
  private final OrderSettlement settlement;
  private final OrderOutcomes orders;
  private final Tracing tracing;
  private final Duration pollAfter;

  /**
   * @param repository orders in the database
   * @param products the product cache, refreshed for products whose stock an order changed
   * @param payments the payment provider's client
   * @param confirmations the queue of order confirmations
   * @param settlement settles an order whose payment's outcome is unknown
   * @param orders {@code orders_total}
   * @param tracing business spans of the order flow
   * @param pollAfter the {@code Retry-After} of a 202: when the order's status is worth reading
   *     again
   */
  public OrderApi(
      OrderRepository repository,
      ProductCache products,
      PaymentClient payments,
      ConfirmationQueue confirmations,
      OrderSettlement settlement,
      OrderOutcomes orders,
      Tracing tracing,
      Duration pollAfter) {
    this.repository = repository;
    this.products = products;
    this.payments = payments;
    this.confirmations = confirmations;
    this.settlement = settlement;
    this.orders = orders;
    this.tracing = tracing;
    this.pollAfter = pollAfter;
  }

  /**
   * {@code POST /api/orders}: places an order. 201 with the order once it is paid and confirmed;
   * 202 with {@code Location} when the payment's outcome is not known yet; 409 when stock is short;
   * 503 (with {@code Retry-After}) when the payment failed or the confirmation queue is full,
   * saying what was reserved and charged; 422 when the {@code Idempotency-Key} was used for another
   * request.
   *
   * @param ctx the request with a body {@code {"items":[{"product_id":1,"quantity":2}],
   *     "payment_method":"card"}} (payment_method optional, default card) and an optional {@code
   *     Idempotency-Key} header (1..128 characters of {@code [A-Za-z0-9._:-]})
   * @throws SQLException on database failure before the order was stored (nothing reserved nor
   *     charged)
   */
  public void place(Context ctx) throws SQLException {
    String clientKey = ctx.header(IDEMPOTENCY_KEY);
    if (clientKey != null && !RequestIds.isValid(clientKey)) {
      throw new ProblemException(
          Problem.of(
              400,
              "the "
                  + IDEMPOTENCY_KEY
                  + " header is malformed: send 1 to 128 "
                  + "characters of [A-Za-z0-9._:-], the same value on every retry of one order"));
    }
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
        throw ProblemException.invalidField(
            field, "must be an object with product_id and quantity");
      }
      if (line.productId() == null || line.productId() < 1) {
        throw ProblemException.invalidField(
            field + ".product_id", "is required: a positive integer");
      }
      if (line.quantity() == null || line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
        throw ProblemException.invalidField(
            field + ".quantity", "is required: an integer from 1 to " + MAX_QUANTITY);
      }
      int sum = quantities.merge(line.productId(), line.quantity(), Integer::sum);
      if (sum > MAX_QUANTITY) {
        throw ProblemException.invalidField(
            field + ".quantity",
            "brings product "
                + line.productId()
                + " to "
                + sum
                + " units; at most "
                + MAX_QUANTITY);
      }
      fieldOf.putIfAbsent(line.productId(), field + ".product_id");
    }
    String requestHash = clientKey == null ? null : requestHash(quantities, payment);
    if (clientKey != null) {
      Optional<OrderRepository.Keyed> earlier = repository.findByClientKey(clientKey);
      if (earlier.isPresent()) {
        replay(ctx, clientKey, earlier.get(), requestHash);
        return;
      }
    }
    try (ActiveSpan flow =
            tracing.span("create_order").set(TraceAttributes.PAYMENT_METHOD, payment).start();
        ConfirmationQueue.Slot confirmation = reserveConfirmation(ctx, payment)) {
      Order pending;
      try {
        pending = checkInventory(quantities, fieldOf, payment, clientKey, requestHash);
      } catch (SQLException e) {
        if (clientKey != null && "23505".equals(e.getSQLState())) {
          // a concurrent request with the same key stored its order first
          Optional<OrderRepository.Keyed> earlier = repository.findByClientKey(clientKey);
          if (earlier.isPresent()) {
            replay(ctx, clientKey, earlier.get(), requestHash);
            return;
          }
        }
        throw e;
      }
      orders.count(Order.PENDING, payment);
      products.invalidate(quantities.keySet());
      flow.set(TraceAttributes.ORDER_ID, pending.id())
          .set(TraceAttributes.ORDER_TOTAL_CENTS, pending.totalCents());
      Order settled = processPayment(ctx, pending, confirmation);
      if (settled.status().equals(Order.CONFIRMED) && !confirmation.submitted()) {
        try (ActiveSpan send =
            tracing.span("send_confirmation").set(TraceAttributes.ORDER_ID, settled.id()).start()) {
          confirmation.submit(settled.id(), settled.totalCents());
        }
      }
      respond(ctx, settled);
    }
  }

  /** Answers a retry of a keyed request with the order the key holds (its current state). */
  private void replay(
      Context ctx, String clientKey, OrderRepository.Keyed earlier, String requestHash)
      throws SQLException {
    if (!earlier.requestHash().equals(requestHash)) {
      throw new ProblemException(
          Problem.of(
                  422,
                  "the "
                      + IDEMPOTENCY_KEY
                      + " '"
                      + clientKey
                      + "' was used for "
                      + "another order (order "
                      + earlier.orderId()
                      + ", with different items or payment method): "
                      + "send a new key for a new order")
              .with("order_id", earlier.orderId()));
    }
    Order order = repository.findById(earlier.orderId()).orElseThrow();
    ctx.header("Idempotent-Replayed", "true");
    respond(ctx, order);
  }

  /**
   * Writes the answer for an order in its current state: 201 confirmed, 202 pending, 503 otherwise.
   */
  private void respond(Context ctx, Order order) {
    String location = "/api/orders/" + order.id();
    switch (order.status()) {
      case Order.CONFIRMED -> ctx.status(201).header("Location", location).json(order);
      case Order.PENDING ->
          ctx.status(202)
              .header("Location", location)
              .header("Retry-After", Long.toString(Math.max(1, pollAfter.toSeconds())))
              .json(order);
      default -> {
        ctx.header("Retry-After", "1");
        throw new ProblemException(
            Problem.of(
                    503,
                    "order "
                        + order.id()
                        + " was not placed: its payment "
                        + (order.status().equals(Order.CANCELLED)
                            ? "could not be confirmed in time and was voided at the provider"
                            : "failed")
                        + "; nothing was charged and its stock was given back; retry in a few seconds")
                .with("order_id", order.id())
                .with("order_status", order.status()));
      }
    }
  }

  private ConfirmationQueue.Slot reserveConfirmation(Context ctx, String payment) {
    try {
      return confirmations.reserve();
    } catch (QueueFullException e) {
      orders.count(OrderOutcomes.QUEUE_FULL, payment);
      ctx.header("Retry-After", "1");
      throw new ProblemException(
          Problem.of(
                  503,
                  e.getMessage()
                      + ": the order was not placed, nothing was reserved nor charged; retry in a few seconds")
              .with("queue", ConfirmationQueue.NAME));
    }
  }

  private Order checkInventory(
      Map<Long, Integer> quantities,
      Map<Long, String> fieldOf,
      String payment,
      String clientKey,
      String requestHash)
      throws SQLException {
    try (ActiveSpan span = tracing.span("check_inventory").start()) {
      try {
        return repository.reserve(
            quantities,
            fieldOf,
            payment,
            UUID.randomUUID().toString(),
            clientKey,
            requestHash,
            System.currentTimeMillis());
      } catch (ProblemException e) {
        if (e.problem().status() == 409) {
          orders.count(OrderOutcomes.REJECTED, payment);
        }
        span.fail(Integer.toString(e.problem().status()), e.getMessage());
        throw e;
      }
    }
  }

  /**
   * Pays a pending order and records the outcome; never throws for a payment or database failure
   * after the order was stored: the order is then answered in the state it was left in (pending for
   * the reconciler when the outcome could not be recorded).
   */
  private Order processPayment(Context ctx, Order pending, ConfirmationQueue.Slot confirmation) {
    try (ActiveSpan span =
        tracing
            .span("process_payment")
            .set(TraceAttributes.ORDER_ID, pending.id())
            .set(TraceAttributes.ORDER_TOTAL_CENTS, pending.totalCents())
            .start()) {
      try {
        ProviderPayment paid =
            payments.charge(
                pending.paymentKey(),
                pending.totalCents(),
                Order.CURRENCY,
                pending.paymentMethod());
        if (!repository.confirm(pending, paid.paymentId(), System.currentTimeMillis())) {
          return repository.findById(pending.id()).orElse(pending);
        }
        orders.count(Order.CONFIRMED, pending.paymentMethod());
        LOG.atInfo()
            .addKeyValue("order_id", pending.id())
            .addKeyValue("total_cents", pending.totalCents())
            .addKeyValue("payment_method", pending.paymentMethod())
            .log("order {} confirmed", pending.id());
        return pending.withStatus(Order.CONFIRMED);
      } catch (PaymentUnavailableException e) {
        span.fail(e);
        return e.outcomeUnknown() ? settleNow(pending, confirmation, e) : fail(ctx, pending, e);
      } catch (SQLException e) {
        span.fail(e);
        LOG.atError()
            .addKeyValue("order_id", pending.id())
            .addKeyValue("error", e.getMessage())
            .log(
                "order {}: paid but its confirmation could not be recorded; left pending for the reconciler: {}",
                pending.id(),
                e.getMessage());
        return pending;
      }
    }
  }

  /** The provider answered it captured nothing: the order fails and its stock goes back. */
  private Order fail(Context ctx, Order pending, PaymentUnavailableException e) {
    try {
      if (!repository.failPayment(pending, System.currentTimeMillis())) {
        return repository.findById(pending.id()).orElse(pending);
      }
    } catch (SQLException db) {
      LOG.atError()
          .addKeyValue("order_id", pending.id())
          .addKeyValue("error", db.getMessage())
          .log(
              "order {}: payment failed, but the failure could not be recorded; left pending for the "
                  + "reconciler: {}",
              pending.id(),
              db.getMessage());
      return pending;
    }
    products.invalidate(pending.items().stream().map(Order.Line::productId).toList());
    orders.count(Order.PAYMENT_FAILED, pending.paymentMethod());
    LOG.atWarn()
        .addKeyValue("order_id", pending.id())
        .addKeyValue("error", e.getMessage())
        .log("order {} not placed: payment failed, stock released", pending.id());
    long retryAfter = Math.max(1, e.retryAfter().toSeconds());
    ctx.header("Retry-After", Long.toString(retryAfter));
    throw new ProblemException(
        Problem.of(
                503,
                "order "
                    + pending.id()
                    + " was not placed: "
                    + e.getMessage()
                    + ". Its stock was released and nothing was charged; retry in "
                    + retryAfter
                    + " s")
            .with("order_id", pending.id())
            .with("order_status", Order.PAYMENT_FAILED));
  }

  /**
   * The payment's outcome is unknown: ask the provider once now; pending (202) when it cannot say.
   */
  private Order settleNow(
      Order pending, ConfirmationQueue.Slot confirmation, PaymentUnavailableException e) {
    LOG.atWarn()
        .addKeyValue("order_id", pending.id())
        .addKeyValue("error", e.getMessage())
        .log(
            "order {}: payment outcome unknown ({}); settling against the provider",
            pending.id(),
            e.getMessage());
    try {
      return settlement.settle(pending, confirmation);
    } catch (SQLException db) {
      return pending;
    }
  }

  /**
   * SHA-256 (hex) of a canonical form of the order request: lines by product id, then the method.
   */
  static String requestHash(Map<Long, Integer> quantities, String paymentMethod) {
    StringBuilder canonical = new StringBuilder(paymentMethod);
    quantities.forEach(
        (id, quantity) -> canonical.append(';').append(id).append('x').append(quantity));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
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
    ctx.json(
        repository
            .findById(id)
            .orElseThrow(() -> ProblemException.notFound("order " + id + " does not exist")));
  }
}
