package dev.vigil.payments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provider's book of payments, one per idempotency key: capture, look-up, void. Every operation
 * is atomic per ledger, so a capture and a void of one key never both win: once a key is voided, it
 * can never capture (a late retry of a payment the caller gave up on is refused), and voiding a
 * captured payment refunds it. Kept in memory for the life of the process, the last {@value
 * #REMEMBERED_KEYS} keys (about 250 MB at most): a forgotten key would read as "never captured" to
 * a caller reconciling against it, so the bound is far above what a caller leaves unresolved
 * between two reconciliations.
 */
public final class Ledger {

  /** What {@link #capture} did. */
  public sealed interface Outcome {}

  /** A new payment was captured. */
  public record Captured(Payment payment) implements Outcome {}

  /** The key had captured this payment before: nothing new was charged. */
  public record Replayed(Payment payment) implements Outcome {}

  /** The key was used before with a different amount, currency or method: nothing was charged. */
  public record Conflict(Payment earlier) implements Outcome {}

  /** The key was voided: nothing was charged. */
  public record Voided(Payment payment) implements Outcome {}

  /** How many keys are remembered (oldest forgotten first). */
  public static final int REMEMBERED_KEYS = 1_000_000;

  private final Map<String, Payment> byKey =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Payment> eldest) {
          return size() > REMEMBERED_KEYS;
        }
      };
  private final AtomicLong ids = new AtomicLong();

  /**
   * Captures a payment once per key.
   *
   * @param key the caller's idempotency key
   * @param amountCents amount in cents, > 0
   * @param currency ISO 4217 code
   * @param method payment method
   * @param reference the caller's reference, or {@code null}
   * @return captured, replayed, conflict or voided
   */
  public synchronized Outcome capture(
      String key, long amountCents, String currency, String method, String reference) {
    Payment earlier = byKey.get(key);
    if (earlier == null) {
      Payment created =
          new Payment(
              "pay_" + ids.incrementAndGet(),
              Payment.CAPTURED,
              amountCents,
              currency,
              method,
              reference,
              key);
      byKey.put(key, created);
      return new Captured(created);
    }
    if (!earlier.status().equals(Payment.CAPTURED)) {
      return new Voided(earlier);
    }
    if (earlier.amountCents() != amountCents
        || !earlier.currency().equals(currency)
        || !earlier.method().equals(method)) {
      return new Conflict(earlier);
    }
    return new Replayed(earlier);
  }

  /**
   * Every payment the ledger remembers, for reconciliation checks and drills.
   *
   * @return a copy, in the order the keys were first seen
   */
  public synchronized java.util.List<Payment> payments() {
    return java.util.List.copyOf(byKey.values());
  }

  /**
   * The payment of a key.
   *
   * @param key an idempotency key
   * @return the payment (captured, refunded or voided), or empty when the key was never seen
   */
  public synchronized Optional<Payment> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /**
   * Voids a key: refunds its captured payment, or, when nothing was captured, records the key as
   * voided so that no later capture can succeed under it. Idempotent.
   *
   * @param key an idempotency key
   * @param currency the currency recorded for a key voided before any capture
   * @return the payment as it now stands: {@link Payment#REFUNDED} or {@link Payment#VOIDED}
   */
  public synchronized Payment voidKey(String key, String currency) {
    Payment earlier = byKey.get(key);
    Payment now =
        earlier == null
            ? new Payment(null, Payment.VOIDED, 0, currency, null, null, key)
            : earlier.status().equals(Payment.CAPTURED)
                ? earlier.withStatus(Payment.REFUNDED)
                : earlier;
    byKey.put(key, now);
    return now;
  }
}
