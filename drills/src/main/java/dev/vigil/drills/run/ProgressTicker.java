package dev.vigil.drills.run;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The progress ticker: prints the drill's phase, the elapsed time and what is awaited every {@link
 * DrillRunner#PROGRESS_EVERY} from a daemon thread, so that a line also comes while a phase blocks
 * (a restart, the dilution), e.g. {@code error-burst: [fault] 20 s elapsed, awaiting HighErrorRate
 * firing (deadline 95.0 s after the fault)}. Phases say what they await with {@link #tick}.
 */
final class ProgressTicker implements AutoCloseable {

  private final Thread thread;
  private volatile String phase = "start";
  private volatile String awaiting = "the drill to start";

  /**
   * Starts the ticker's thread.
   *
   * @param out where the lines go
   * @param drill the drill's name, the first word of every line
   * @param start when the drill started; the elapsed seconds count from here
   */
  ProgressTicker(PrintStream out, String drill, Instant start) {
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("drill-progress")
            .start(
                () -> {
                  while (true) {
                    try {
                      Thread.sleep(DrillRunner.PROGRESS_EVERY);
                    } catch (InterruptedException e) {
                      return;
                    }
                    out.printf(
                        "%s: [%s] %d s elapsed, awaiting %s%n",
                        drill, phase, Duration.between(start, Instant.now()).toSeconds(), awaiting);
                  }
                });
  }

  /**
   * Sets what the next lines say.
   *
   * @param phase the phase's name, e.g. {@code fault}
   * @param awaiting what the phase waits for, e.g. {@code end of the baseline load}
   */
  void tick(String phase, String awaiting) {
    this.phase = phase;
    this.awaiting = awaiting;
  }

  /** Stops the thread; no line follows. */
  @Override
  public void close() {
    thread.interrupt();
  }
}
