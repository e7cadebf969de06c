package dev.vigil.catalog.order;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An order. Its states (docs/orders.md):
 *
 * <pre>
 *   (stock reserved)      pending --captured, amount and currency match--> confirmed
 *                         pending --provider answered: nothing captured--> payment_failed (stock back)
 *                         pending --reconciler: not captured, key voided--> cancelled (stock back)
 *                         pending --reconciler: captured--> confirmed
 * </pre>
 *
 * {@code pending} is the only state that is not final: the payment's outcome is not known yet, and
 * the reconciler settles it against the provider. Refused orders ({@code rejected}: stock short;
 * {@code queue_full}) are never stored.
 *
 * @param id positive identifier
 * @param status {@link #PENDING}, {@link #CONFIRMED}, {@link #PAYMENT_FAILED} or {@link #CANCELLED}
 * @param paymentMethod one of {@link OrderApi#PAYMENT_METHODS}
 * @param totalCents sum of quantity x unit price over the lines, in cents
 * @param items the lines, by ascending product id
 * @param paymentKey the {@code Idempotency-Key} the payment is captured under (a UUID); not shown
 *     to clients
 */
public record Order(
    long id,
    String status,
    @JsonProperty("payment_method") String paymentMethod,
    @JsonProperty("total_cents") long totalCents,
    List<Line> items,
    @JsonIgnore String paymentKey) {

  /** Stock reserved; the payment's outcome is not known yet. */
  public static final String PENDING = "pending";

  /**
   * Paid (the provider holds a capture of this amount under this order's key); confirmation queued.
   */
  public static final String CONFIRMED = "confirmed";

  /** The provider answered that it captured nothing; the stock was given back. */
  public static final String PAYMENT_FAILED = "payment_failed";

  /**
   * The payment's outcome was unknown; the reconciler voided (or refunded) it and gave the stock
   * back.
   */
  public static final String CANCELLED = "cancelled";

  /** The currency of every price and payment. */
  public static final String CURRENCY = "USD";

  /**
   * The same order in another state.
   *
   * @param next the new status
   * @return a copy with that status
   */
  public Order withStatus(String next) {
    return new Order(id, next, paymentMethod, totalCents, items, paymentKey);
  }

  /**
   * One line of an order.
   *
   * @param productId the product
   * @param quantity units ordered, >= 1
   * @param priceCents unit price in cents when the order was placed
   */
  public record Line(
      @JsonProperty("product_id") long productId,
      int quantity,
      @JsonProperty("price_cents") long priceCents) {}
}
