package dev.vigil.catalog.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.http.RequestParams;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP handlers of {@code /api/orders}; counts outcomes in
 * {@code orders_total{status="confirmed"|"rejected", payment_method}}.
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

  private final OrderRepository repository;
  private final ProductCache products;
  private final Counter orders;

  /**
   * @param repository orders in the database
   * @param products the product cache, refreshed for products whose stock an order changed
   * @param registry where {@code orders_total} is registered
   */
  public OrderApi(OrderRepository repository, ProductCache products, PrometheusRegistry registry) {
    this.repository = repository;
    this.products = products;
    this.orders = Counter.builder().name("orders_total").help("Orders placed, by outcome and payment method")
        .labelNames("status", "payment_method").register(registry);
  }

  /**
   * {@code POST /api/orders}: places an order; 201 with the order once it is committed.
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
    Order order;
    try {
      order = repository.place(quantities, fieldOf, payment);
    } catch (ProblemException e) {
      if (e.problem().status() == 409) {
        orders.labelValues("rejected", payment).inc();
      }
      throw e;
    }
    products.invalidate(quantities.keySet());
    orders.labelValues("confirmed", payment).inc();
    ctx.status(201).header("Location", "/api/orders/" + order.id()).json(order);
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
