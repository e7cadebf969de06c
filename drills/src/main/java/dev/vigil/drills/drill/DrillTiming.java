package dev.vigil.drills.drill;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.stack.StackProfile;
import java.time.Duration;
import java.util.Optional;

/**
 * The timing a drill runs under and the detection and resolution times its rules' math predicts.
 *
 * <p>Prediction, from the fault's start to the firing notification: {@code onset} (the time the
 * rule's expression needs to hold; stated in the drill, else two scrape intervals: a rate needs two
 * samples) {@code + for} (scaled as the stack's profile scales it) {@code +} one evaluation
 * interval (the rule is evaluated at the latest one interval after its condition holds) {@code +}
 * Alertmanager's {@code group_wait} of the receiver's route. Resolution, from the end of the
 * recovery (the fault cleared or the service back, and the dilution sent): the recovery onset
 * (default two scrape intervals) {@code +} one evaluation interval {@code +} {@code group_interval}
 * (a changed group is notified at the next group interval). Deadlines are twice the prediction plus
 * a slack ({@link #SLACK}) for a loaded machine, unless stated.
 *
 * @param name {@code fast} (the stack's test profile) or {@code real} (the timing of deploy/)
 * @param scrapeInterval Prometheus' scrape interval
 * @param evaluationInterval Prometheus' rule evaluation interval
 * @param forDivisor rule {@code for} divided by this ({@link PromDuration#shorten})
 * @param forFloorSeconds a shortened {@code for} is at least this
 * @param alertmanagerWait when present, every route's {@code group_wait} and {@code group_interval}
 * @param rules the rules and waits of deploy/
 */
public record DrillTiming(
    String name,
    PromDuration scrapeInterval,
    PromDuration evaluationInterval,
    int forDivisor,
    int forFloorSeconds,
    Optional<PromDuration> alertmanagerWait,
    RuleBook rules) {

  /** Added to twice the predicted time to make a deadline. */
  public static final Duration SLACK = Duration.ofSeconds(30);

  /** The shortest {@link #budgetSeriesWait()}. */
  public static final Duration MIN_BUDGET_SERIES_WAIT = Duration.ofSeconds(30);

  /**
   * The timing of a running stack's profile: {@code fast} for the test profile (its intervals,
   * divisor and waits), {@code real} for the default profile (deploy/ as written).
   *
   * @param profile the stack's profile
   * @param rules the rules of deploy/
   * @return the timing
   */
  public static DrillTiming of(StackProfile profile, RuleBook rules) {
    if (profile.forDivisor() <= 1
        && profile.scrapeIntervalSeconds() == 0
        && profile.evaluationIntervalSeconds() == 0) {
      return real(rules);
    }
    return new DrillTiming(
        "fast",
        profile.scrapeIntervalSeconds() > 0
            ? PromDuration.ofSeconds(profile.scrapeIntervalSeconds())
            : rules.scrapeInterval(),
        profile.evaluationIntervalSeconds() > 0
            ? PromDuration.ofSeconds(profile.evaluationIntervalSeconds())
            : rules.evaluationInterval(),
        Math.max(1, profile.forDivisor()),
        profile.forFloorSeconds(),
        profile.alertmanagerWaitSeconds() > 0
            ? Optional.of(PromDuration.ofSeconds(profile.alertmanagerWaitSeconds()))
            : Optional.empty(),
        rules);
  }

  /**
   * The timing of deploy/ as written (the stack of {@code ./vigil up}, or a deployment).
   *
   * @param rules the rules of deploy/
   * @return the real timing
   */
  public static DrillTiming real(RuleBook rules) {
    return new DrillTiming(
        "real", rules.scrapeInterval(), rules.evaluationInterval(), 1, 0, Optional.empty(), rules);
  }

  /**
   * The {@code for} of an alert's rule under this timing.
   *
   * @param match the alert
   * @return the shortest matching rule's {@code for}, shortened as the profile does; empty when
   *     deploy/ has no such rule
   */
  public Optional<Duration> forOf(Drill.AlertMatch match) {
    return rules
        .forOf(match)
        .map(
            f ->
                forDivisor > 1 && f.millis() > 0
                    ? f.shorten(forDivisor, forFloorSeconds).toDuration()
                    : f.toDuration());
  }

  /**
   * Predicted time from the fault's start to the alert's firing state in Prometheus: onset + for +
   * one evaluation interval.
   *
   * @param expected the expected alert
   * @return the prediction, or empty when deploy/ has no such rule
   */
  public Optional<Duration> predictedFiring(Drill.ExpectedAlert expected) {
    Duration onset =
        expected.onset() == null
            ? scrapeInterval.toDuration().multipliedBy(2)
            : expected.onset().toDuration();
    return forOf(expected.match())
        .map(f -> onset.plus(f).plus(evaluationIntervalOf(expected.match())));
  }

  /**
   * The interval at which an alert's rule is evaluated: its group's own (the SLO groups' 1m, which
   * no profile shortens), else this timing's global one.
   *
   * @param match the alert
   * @return the interval
   */
  public Duration evaluationIntervalOf(Drill.AlertMatch match) {
    return rules
        .groupIntervalOf(match)
        .map(PromDuration::toDuration)
        .orElse(evaluationInterval.toDuration());
  }

  /**
   * Predicted time from the fault's start to the firing notification at the receiver: {@link
   * #predictedFiring} plus the route's {@code group_wait}.
   *
   * @param expected the expected alert
   * @return the prediction, or empty when deploy/ has no such rule
   */
  public Optional<Duration> predictedNotified(Drill.ExpectedAlert expected) {
    Duration groupWait =
        alertmanagerWait
            .map(PromDuration::toDuration)
            .orElse(rules.waits(expected.receiver()).groupWait().toDuration());
    return predictedFiring(expected).map(p -> p.plus(groupWait));
  }

  /**
   * Predicted time from the end of the fault to the resolved notification: recovery onset + one
   * evaluation interval + the route's {@code group_interval}.
   *
   * @param expected the expected alert
   * @param recovery the drill's recovery
   * @return the prediction
   */
  public Duration predictedResolved(Drill.ExpectedAlert expected, Drill.Recovery recovery) {
    Duration onset =
        recovery.onset() == null
            ? scrapeInterval.toDuration().multipliedBy(2)
            : recovery.onset().toDuration();
    Duration groupInterval =
        alertmanagerWait
            .map(PromDuration::toDuration)
            .orElse(rules.waits(expected.receiver()).groupInterval().toDuration());
    return onset.plus(evaluationIntervalOf(expected.match())).plus(groupInterval);
  }

  /**
   * The longest wait from the fault's start to the firing notification.
   *
   * @param expected the expected alert
   * @return the stated deadline, else twice the prediction plus {@link #SLACK}; empty when deploy/
   *     has no such rule and no deadline is stated
   */
  public Optional<Duration> notifyDeadline(Drill.ExpectedAlert expected) {
    if (expected.deadline() != null) {
      return Optional.of(expected.deadline().toDuration());
    }
    return predictedNotified(expected).map(p -> p.multipliedBy(2).plus(SLACK));
  }

  /**
   * The longest wait from the end of the fault to the resolved notification.
   *
   * @param expected the expected alert
   * @param recovery the drill's recovery
   * @return the stated resolve deadline, else twice the prediction plus {@link #SLACK}
   */
  public Duration resolveDeadline(Drill.ExpectedAlert expected, Drill.Recovery recovery) {
    if (recovery.resolveDeadline() != null) {
      return recovery.resolveDeadline().toDuration();
    }
    return predictedResolved(expected, recovery).multipliedBy(2).plus(SLACK);
  }

  /**
   * The longest wait, before the fault, for the error-budget series ({@code
   * slo:error_budget_remaining:ratio}) of the SLOs a drill judges. A freshly started stack records
   * it only once the SLI's counters have been scraped twice (a rate needs two samples) and the SLO
   * rules have been evaluated after that; six scrape plus six evaluation intervals, plus one of the
   * SLO groups' own interval (their first evaluation comes at most that long after the SLI has
   * data), leave room for a loaded machine, and at least {@link #MIN_BUDGET_SERIES_WAIT}.
   *
   * @return 240 s for deploy/'s 15 s intervals and the SLO groups' 1m, 72 s in the fast profile (1
   *     s intervals)
   */
  public Duration budgetSeriesWait() {
    Duration wait =
        scrapeInterval
            .toDuration()
            .plus(evaluationInterval.toDuration())
            .multipliedBy(6)
            .plus(rules.longestGroupInterval().map(PromDuration::toDuration).orElse(Duration.ZERO));
    return wait.compareTo(MIN_BUDGET_SERIES_WAIT) < 0 ? MIN_BUDGET_SERIES_WAIT : wait;
  }
}
