package dev.vigil.drills.fault;

/**
 * What a drill does to the running system. The runner calls {@link #inject()} once, {@link
 * #recover()} once the expected alert has been notified, and {@link #close()} always at the end
 * (also on failure).
 */
public interface Fault extends AutoCloseable {

  /**
   * Starts the fault (may start background traffic); returns promptly.
   *
   * @throws RuntimeException when the fault cannot be injected (the message says why)
   */
  void inject();

  /**
   * Requests this fault itself sent (e.g. error bursts), for sizing the recovery's dilution.
   *
   * @return the count, 0 for faults that send nothing
   */
  default long requestsSent() {
    return 0;
  }

  /**
   * Stops the fault and restores normal service; returns once recovery traffic or restarts are
   * done.
   */
  void recover();

  /** Stops anything this fault still runs and leaves the system as it found it. Idempotent. */
  @Override
  void close();
}
