package dev.vigil.drills.fault;

import dev.vigil.drills.drill.DrillTraffic;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's "Testing Alerts" traffic, generalised: bursts of {@code burst} GETs to a path the
 * service answers with an error (e.g. {@code /nonexistent}, 404; {@code /data/error}, 500) every
 * {@code every}.
 *
 * <p>Recovery stops the bursts; the runner then dilutes the rate windows (the drill's {@code
 * recovery.dilute}).
 */
public final class ErrorBurstFault implements Fault {

  /** Most bursts one drill sends (a bound on the traffic). */
  public static final int MAX_BURSTS = 180;

  private final URI errorUri;
  private final int burst;
  private final Duration every;
  private final AtomicBoolean erring = new AtomicBoolean();
  private final AtomicLong errorsSent = new AtomicLong();
  private Thread bursts;

  /**
   * A fault against one service.
   *
   * @param errorUri the URL answered with an error (http or https)
   * @param burst requests per burst
   * @param every time between the starts of two bursts
   */
  public ErrorBurstFault(URI errorUri, int burst, Duration every) {
    this.errorUri = errorUri;
    this.burst = burst;
    this.every = every;
  }

  @Override
  public void inject() {
    erring.set(true);
    bursts =
        Thread.ofPlatform()
            .daemon()
            .name("drill-error-bursts")
            .start(
                () -> {
                  for (int i = 0; i < MAX_BURSTS && erring.get(); i++) {
                    long started = System.nanoTime();
                    DrillTraffic.sequential(errorUri, burst);
                    errorsSent.addAndGet(burst);
                    long pause = every.toNanos() - (System.nanoTime() - started);
                    try {
                      Thread.sleep(Duration.ofNanos(Math.max(0, pause)));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  @Override
  public long requestsSent() {
    return errorsSent.get();
  }

  @Override
  public void recover() {
    stopBursts();
  }

  @Override
  public void close() {
    stopBursts();
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
