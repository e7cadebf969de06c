package dev.vigil.catalog.db;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * No connection to the database now: it is known down (the circuit breaker is open) or the pool had
 * no free connection within {@code DB_POOL_TIMEOUT}. Answered 503 with {@code Retry-After}: the
 * request changed nothing.
 */
public final class DatabaseUnavailableException extends SQLTransientConnectionException {

  private final transient Duration retryAfter;

  /**
   * @param message what happened, for the client and the logs
   * @param retryAfter when trying again makes sense
   * @param cause the pool's or breaker's exception, or {@code null}
   */
  public DatabaseUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, "08001", cause);
    this.retryAfter = retryAfter;
  }

  /** When trying again makes sense, at least one second. */
  public Duration retryAfter() {
    return retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
  }
}
