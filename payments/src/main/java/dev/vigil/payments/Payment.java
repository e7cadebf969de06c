package dev.vigil.payments;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A captured payment.
 *
 * @param id the provider's identifier, e.g. {@code pay_17}
 * @param status {@code captured}
 * @param amountCents the amount charged, in cents
 * @param method {@code card}, {@code paypal} or {@code bank_transfer}
 * @param reference the caller's reference, e.g. {@code order-42}
 */
public record Payment(
    @JsonProperty("payment_id") String id,
    String status,
    @JsonProperty("amount_cents") long amountCents,
    String method,
    String reference) {}
