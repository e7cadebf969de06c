package dev.vigil.catalog.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An order.
 *
 * @param id positive identifier
 * @param status {@link #PENDING} while it is being paid, then {@link #CONFIRMED} or {@link #PAYMENT_FAILED}
 * @param paymentMethod one of {@link OrderApi#PAYMENT_METHODS}
 * @param totalCents sum of quantity x unit price over the lines, in cents
 * @param items the lines, by ascending product id
 */
public record Order(
    long id,
    String status,
    @JsonProperty("payment_method") String paymentMethod,
    @JsonProperty("total_cents") long totalCents,
    List<Line> items) {

  /** Stock reserved, payment under way. */
  public static final String PENDING = "pending";

  /** Paid; its confirmation is queued. */
  public static final String CONFIRMED = "confirmed";

  /** The payment failed; its stock was given back. */
  public static final String PAYMENT_FAILED = "payment_failed";

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
