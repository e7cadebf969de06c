package dev.vigil.drills.stack;

/** A component of the local stack does not answer as expected; the message names it and what to do. */
public final class StackUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what did not answer, where, and what to do
   */
  public StackUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what did not answer, where, and what to do
   * @param cause the I/O failure
   */
  public StackUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
