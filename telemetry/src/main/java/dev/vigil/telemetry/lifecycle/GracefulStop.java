package dev.vigil.telemetry.lifecycle;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Runs a service's shutdown steps exactly once, whoever asks first (SIGTERM, SIGINT, a test, {@code
 * close()}), and lets anyone wait until they have finished.
 *
 * <p>Signals are taken with {@code sun.misc.Signal} (module jdk.unsupported, kept by the JDK for
 * this purpose): a shutdown hook alone would make the JVM exit 143 after SIGTERM, and a clean stop
 * is 0.
 */
public final class GracefulStop {

  private final Runnable steps;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * @param steps the shutdown, in order (e.g. readiness 503, drain requests, close the pool); run
   *     once
   */
  public GracefulStop(Runnable steps) {
    this.steps = steps;
  }

  /**
   * Runs the steps if nobody has yet; otherwise waits until the first caller's run has finished.
   * Safe from any thread.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      await();
      return;
    }
    try {
      steps.run();
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Blocks until {@link #stop()} has finished (returns early, with the interrupt flag set, if
   * interrupted).
   */
  public void await() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** From now on SIGTERM and SIGINT start {@link #stop()} on a thread of their own. */
  public void onTerminationSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> Thread.ofPlatform().name("shutdown-" + name).start(this::stop));
    }
  }
}
