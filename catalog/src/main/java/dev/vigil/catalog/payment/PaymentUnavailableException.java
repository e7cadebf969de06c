package dev.vigil.catalog.payment;

import java.time.Duration;

/**
 * The payment provider could not take a payment: it failed, timed out, was unreachable on every
 * attempt, or the circuit breaker is open. The order must not be confirmed; the caller may retry after
 * {@link #retryAfter()}.
 */
public final class PaymentUnavailableException extends Exception {

  private final transient Duration retryAfter;

  /**
   * @param message what happened, for the caller and the logs
   * @param retryAfter when trying again makes sense
   * @param cause the last failure, or {@code null}
   */
  public PaymentUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /** When trying again makes sense (the breaker's remaining open time, or one second). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
