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

  /** When a caller may try again after a failure that is not the breaker's. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private PaymentUnavailableException(
      String message, Duration retryAfter, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.retryAfter = retryAfter;
    this.outcomeUnknown = outcomeUnknown;
  }

  /**
   * The provider may have captured: a request may have reached it and its answer was lost or not
   * understood (connection lost, timeout, an unexpected status or body, another payment's answer).
   *
   * @param message what happened, for the caller and the logs
   * @param cause the failure, or {@code null}
   * @return the exception, {@link #outcomeUnknown()} true, retry after one second
   */
  public static PaymentUnavailableException uncertain(String message, Throwable cause) {
    return new PaymentUnavailableException(message, RETRY_AFTER, cause, true);
  }

  /**
   * Every attempt failed or was refused.
   *
   * @param message what happened, for the caller and the logs
   * @param cause the last failure
   * @param outcomeUnknown whether some attempt may have captured anyway (it timed out or lost its
   *     answer)
   * @return the exception, retry after one second
   */
  public static PaymentUnavailableException failed(
      String message, Throwable cause, boolean outcomeUnknown) {
    return new PaymentUnavailableException(message, RETRY_AFTER, cause, outcomeUnknown);
  }

  /**
   * The circuit breaker is open: the call was refused without reaching the provider.
   *
   * @param wait how long the breaker stays open, the caller's {@code Retry-After}
   * @param cause the breaker's refusal
   * @param outcomeUnknown whether an earlier attempt of this same call may have captured
   * @return the exception
   */
  public static PaymentUnavailableException breakerOpen(
      Duration wait, Throwable cause, boolean outcomeUnknown) {
    return new PaymentUnavailableException(
        "the payment provider is failing and its circuit breaker is open: "
            + "payments are refused at once for now",
        wait,
        cause,
        outcomeUnknown);
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
