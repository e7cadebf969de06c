package dev.vigil.catalog.payment;

import java.time.Duration;

/**
 * The payment provider did not confirm a payment, look-up or void: it failed, timed out, was
 * unreachable, refused, or the circuit breaker is open. The order must not be confirmed on it;
 * whether it may be failed at once depends on {@link #outcomeUnknown()}.
 */
public final class PaymentUnavailableException extends Exception {

  private final transient Duration retryAfter;
  private final boolean outcomeUnknown;

  /**
   * @param message what happened, for the caller and the logs
   * @param retryAfter when trying again makes sense
   * @param cause the last failure, or {@code null}
   * @param outcomeUnknown whether the provider may have captured anyway (see {@link
   *     #outcomeUnknown()})
   */
  public PaymentUnavailableException(
      String message, Duration retryAfter, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.retryAfter = retryAfter;
    this.outcomeUnknown = outcomeUnknown;
  }

  /**
   * Whether the payment's fate is unknown: some request may have reached the provider and captured
   * (timeout, connection lost after sending, an unexpected answer). When {@code false}, the
   * provider answered that it did not capture, or was never reached: nothing was charged.
   */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /** When trying again makes sense (the breaker's remaining open time, or one second). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
