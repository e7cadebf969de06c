package dev.vigil.drills.drill;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's "Testing Alerts" traffic: bursts of 100 requests to a path that matches no route
 * ({@code /nonexistent}, answered 404) every {@link #BURST_PERIOD}, over a steady light load on
 * {@code /}.
 *
 * <p>Recovery stops the errors and sends the seed's load step ({@code ab -n 10000 -c 100 /}, here
 * with 4 workers) sized so that errors fall below half the 5% threshold of the 5-minute error
 * ratio: {@code 40 x errors sent}, at most {@link LoopbackTraffic#MAX_REQUESTS_PER_CALL}. Without
 * it the ratio would stay above 5% until the errors leave the 5-minute rate window. The light load
 * on {@code /} goes on until {@link #close()}.
 */
public final class ErrorBurstFault implements Fault {

  /** Requests per burst, as in the seed's loop. */
  public static final int BURST = 100;

  /** Pause between the starts of two bursts. */
  public static final Duration BURST_PERIOD = Duration.ofSeconds(5);

  /** Rate of the light load on {@code /}, requests per second. */
  public static final double LIGHT_LOAD_PER_SECOND = 5;

  /** Most bursts one drill sends (a bound on the traffic: 15 minutes of bursts). */
  public static final int MAX_BURSTS = 180;

  private final URI service;
  private final AtomicBoolean erring = new AtomicBoolean();
  private final AtomicLong errorsSent = new AtomicLong();
  private LoopbackTraffic.SteadyLoad lightLoad;
  private Thread bursts;

  /**
   * A fault against one service.
   *
   * @param service the service base URL on loopback, e.g. {@code http://127.0.0.1:8000}
   */
  public ErrorBurstFault(URI service) {
    this.service = service;
  }

  @Override
  public void inject() {
    lightLoad = LoopbackTraffic.steady(service.resolve("/"), LIGHT_LOAD_PER_SECOND);
    erring.set(true);
    URI nonexistent = service.resolve("/nonexistent");
    bursts =
        Thread.ofPlatform()
            .daemon()
            .name("drill-error-bursts")
            .start(
                () -> {
                  for (int i = 0; i < MAX_BURSTS && erring.get(); i++) {
                    long started = System.nanoTime();
                    LoopbackTraffic.sequential(nonexistent, BURST);
                    errorsSent.addAndGet(BURST);
                    long pause = BURST_PERIOD.toNanos() - (System.nanoTime() - started);
                    try {
                      Thread.sleep(Duration.ofNanos(Math.max(0, pause)));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  @Override
  public void recover() {
    stopBursts();
    long dilution = Math.max(0, 40 * errorsSent.get() - (lightLoad == null ? 0 : lightLoad.sent()));
    LoopbackTraffic.concurrent(
        service.resolve("/"), (int) Math.min(dilution, LoopbackTraffic.MAX_REQUESTS_PER_CALL), 4);
  }

  @Override
  public void close() {
    stopBursts();
    if (lightLoad != null) {
      lightLoad.close();
    }
  }

  private void stopBursts() {
    erring.set(false);
    if (bursts != null) {
      bursts.interrupt();
      try {
        bursts.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
