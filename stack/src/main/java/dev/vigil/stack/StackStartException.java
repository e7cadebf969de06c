package dev.vigil.stack;

/**
 * A component of the local stack could not start or become ready; the message names it and shows
 * its log.
 */
public final class StackStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which component, what happened, the tail of its log
   */
  public StackStartException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message which component and what happened
   * @param cause the underlying failure
   */
  public StackStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
