package dev.vigil.telemetry.lifecycle;

/**
 * A running service whose shutdown steps run exactly once, whoever asks first (SIGTERM, SIGINT, a
 * test, {@code close()}): the stop, signal and wait methods every vigil server shares, over {@link
 * GracefulStop}. A subclass supplies its steps in {@link #shutdown()}.
 */
public abstract class GracefulService implements AutoCloseable {

  private final GracefulStop stop = new GracefulStop(this::shutdown);

  /** The shutdown steps in order (e.g. readiness 503, drain requests, close the pool); run once. */
  protected abstract void shutdown();

  /**
   * Stops gracefully: runs {@link #shutdown()} if nobody has yet, otherwise waits for the first
   * run. Safe from any thread.
   */
  public void stopGracefully() {
    stop.stop();
  }

  /**
   * From now on SIGTERM and SIGINT stop the service gracefully (then {@link #awaitStopped()}
   * returns).
   */
  public void stopOnTerminationSignals() {
    stop.onTerminationSignals();
  }

  /** Blocks until {@link #stopGracefully()} has finished. */
  public void awaitStopped() {
    stop.await();
  }

  /** Same as {@link #stopGracefully()}. */
  @Override
  public void close() {
    stopGracefully();
  }
}
