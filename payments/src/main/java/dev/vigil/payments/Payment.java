package dev.vigil.payments;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A payment in the provider's ledger.
 *
 * @param id the provider's identifier, e.g. {@code pay_17}; {@code null} for a key voided before
 *     any capture
 * @param status {@link #CAPTURED}, {@link #REFUNDED} (captured, then voided) or {@link #VOIDED}
 *     (voided before anything was captured: the key can no longer capture)
 * @param amountCents the amount charged, in cents (0 for {@link #VOIDED})
 * @param currency ISO 4217 code, e.g. {@code USD}
 * @param method {@code card}, {@code paypal} or {@code bank_transfer}
 * @param reference the caller's reference, e.g. {@code order-42}
 * @param idempotencyKey the caller's {@code Idempotency-Key} this payment belongs to
 */
public record Payment(
    @JsonProperty("payment_id") String id,
    String status,
    @JsonProperty("amount_cents") long amountCents,
    String currency,
    String method,
    String reference,
    @JsonProperty("idempotency_key") String idempotencyKey) {

  /** Money taken. */
  public static final String CAPTURED = "captured";

  /** Money taken, then given back by a void. */
  public static final String REFUNDED = "refunded";

  /** Voided before any capture: nothing was taken and nothing can be under this key. */
  public static final String VOIDED = "voided";

  /** The same payment with another status. */
  Payment withStatus(String next) {
    return new Payment(id, next, amountCents, currency, method, reference, idempotencyKey);
  }
}
