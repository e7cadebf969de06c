package dev.vigil.drills.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one poll step every phase of a drill waits with: a {@link Look} at the system answers what
 * the phase still awaits; the step hands that to the {@link ProgressTicker}, lets one interval pass
 * and looks again, until a look answers that nothing is awaited. A phase's deadline lives in its
 * look: the baseline's look answers done once the baseline's end has passed, the budget wait's look
 * throws, the alert watch's look gives an alert past its deadline a verdict and stops awaiting it.
 */
final class PollStep {

  /** Time between two looks of a drill: 500 ms. */
  static final Duration INTERVAL = Duration.ofMillis(500);

  /** One look of a phase. */
  @FunctionalInterface
  interface Look {

    /**
     * Looks once.
     *
     * @param now the instant of this look on the step's clock
     * @return what the phase still awaits, as the progress line says it; empty when it is done
     */
    Optional<String> awaiting(Instant now);
  }

  /** How one interval passes: the drill sleeps, a test advances its clock. */
  @FunctionalInterface
  interface Pause {

    /**
     * Lets an interval pass.
     *
     * @param interval the interval
     * @throws InterruptedException when the thread is interrupted meanwhile
     */
    void pass(Duration interval) throws InterruptedException;
  }

  private final Clock clock;
  private final Duration interval;
  private final Pause pause;
  private final ProgressTicker ticker;

  /**
   * A poll step.
   *
   * @param clock the clock the looks are timed by
   * @param interval the time between two looks, e.g. {@link #INTERVAL}
   * @param pause how an interval passes, e.g. {@code Thread::sleep}
   * @param ticker told what each phase awaits
   */
  PollStep(Clock clock, Duration interval, Pause pause, ProgressTicker ticker) {
    this.clock = clock;
    this.interval = interval;
    this.pause = pause;
    this.ticker = ticker;
  }

  /**
   * The instant now on the step's clock.
   *
   * @return the instant
   */
  Instant now() {
    return clock.instant();
  }

  /**
   * Looks once per interval until a look answers that nothing is awaited; the first look comes at
   * once.
   *
   * @param phase the phase's name for the progress line, e.g. {@code fault}
   * @param look the phase's look; what it throws ends the wait
   * @throws IllegalStateException when the thread is interrupted ({@code drill interrupted})
   */
  void until(String phase, Look look) {
    while (true) {
      Optional<String> awaiting = look.awaiting(clock.instant());
      if (awaiting.isEmpty()) {
        return;
      }
      ticker.tick(phase, awaiting.get());
      try {
        pause.pass(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("drill interrupted", e);
      }
    }
  }
}
