package dev.vigil.slo.generate;

import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.Slo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A traffic pattern for a generated promtool test: constant traffic of {@link #EVENTS_PER_MINUTE}
 * events a minute, split into phases of constant error ratio.
 *
 * @param name what the test shows, e.g. {@code full outage}
 * @param phases the phases in order
 */
public record Scenario(String name, List<Phase> phases) {

  /** Events per minute in every scenario (high enough for any minimum-events guard). */
  public static final BigDecimal EVENTS_PER_MINUTE = BigDecimal.valueOf(1000);

  /**
   * @param minutes how long the phase lasts, in minutes
   * @param errorRatio bad events / all events during the phase, 0..1
   */
  public record Phase(int minutes, BigDecimal errorRatio) {}

  /**
   * @return the total length in minutes
   */
  public int minutes() {
    return phases.stream().mapToInt(Phase::minutes).sum();
  }

  /**
   * @return the minute errors start after a clean start (e.g. 60 for "1h clean, then an outage"),
   *     or -1 when the scenario starts with errors or has none
   */
  public int onset() {
    int minute = 0;
    for (Phase p : phases) {
      if (p.errorRatio().signum() > 0) {
        return minute > 0 ? minute : -1;
      }
      minute += p.minutes();
    }
    return -1;
  }

  /**
   * @return bad events per minute for each minute 1..{@link #minutes()} (index 0 unused, = 0)
   */
  public BigDecimal[] badPerMinute() {
    BigDecimal[] out = new BigDecimal[minutes() + 1];
    out[0] = BigDecimal.ZERO;
    int t = 1;
    for (Phase p : phases) {
      BigDecimal bad = BudgetMath.plain(EVENTS_PER_MINUTE.multiply(p.errorRatio()));
      for (int i = 0; i < p.minutes(); i++) {
        out[t++] = bad;
      }
    }
    return out;
  }

  /**
   * The probe's value each minute for a time slice SLI: 1 (succeeded) in minutes without errors, 0
   * in minutes with errors (only whole-minute outages are probe histories: error ratio 0 or 1).
   *
   * @return the probe value for each minute 0..{@link #minutes()} (minute 0 up)
   * @throws IllegalStateException when a phase's error ratio is neither 0 nor 1
   */
  public BigDecimal[] probeSuccess() {
    BigDecimal[] out = new BigDecimal[minutes() + 1];
    out[0] = BigDecimal.ONE;
    int t = 1;
    for (Phase p : phases) {
      if (!wholeMinutes(p)) {
        throw new IllegalStateException(name + ": a probe is up or down, not " + p.errorRatio());
      }
      for (int i = 0; i < p.minutes(); i++) {
        out[t++] = BigDecimal.ONE.subtract(p.errorRatio());
      }
    }
    return out;
  }

  /**
   * Whether the slice judged at minute {@code t} is good, with probes every minute and Prometheus
   * 2.x's closed ranges: the 1m slice at t averages the probes at t-1m and t (only t at minute 0).
   *
   * @param probe {@link #probeSuccess()}
   * @param t the minute judged
   * @param target the least good average
   * @return true when the average reaches the target
   */
  public static boolean sliceGood(BigDecimal[] probe, int t, BigDecimal target) {
    BigDecimal average =
        t == 0 ? probe[0] : probe[t - 1].add(probe[t]).divide(BigDecimal.valueOf(2));
    return average.compareTo(target) >= 0;
  }

  private static boolean wholeMinutes(Phase p) {
    return p.errorRatio().signum() == 0 || p.errorRatio().compareTo(BigDecimal.ONE) == 0;
  }

  /**
   * The scenarios of a time slice SLO's generated test: probe histories, so only whole minutes up
   * or down (the standard scenarios whose phases are all 0% or 100% errors) after a history with
   * the probe up throughout.
   *
   * @param slo a valid SLO with a time slice SLI
   * @return probe up throughout, then full outage and recovery scenarios
   */
  public static List<Scenario> probeHistories(Slo slo) {
    List<Scenario> out = new ArrayList<>();
    out.add(
        new Scenario(
            "probe up throughout raises nothing", List.of(new Phase(120, BigDecimal.ZERO))));
    for (Scenario s : standard(slo)) {
      if (s.phases().stream().allMatch(Scenario::wholeMinutes)
          && s.phases().stream().anyMatch(p -> p.errorRatio().signum() > 0)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The scenarios every SLO's generated test runs, derived from its budget and tiers.
   *
   * @param slo a valid SLO
   * @return healthy, full outage, 10x burn, slow burn, blip and recovery scenarios
   */
  public static List<Scenario> standard(Slo slo) {
    BigDecimal budget = slo.errorBudget();
    List<AlertTier> pages =
        slo.alerting().enabledTiers().stream().filter(AlertTier::pages).toList();
    List<AlertTier> tickets =
        slo.alerting().enabledTiers().stream().filter(t -> !t.pages()).toList();
    List<Scenario> out = new ArrayList<>();
    out.add(
        new Scenario(
            "healthy traffic (half the sustainable error rate) raises nothing",
            List.of(new Phase(120, budget.divide(BigDecimal.TWO)))));
    // Clean history as long as the longest page window, so every window is full when the outage
    // starts
    // (a shorter history would make the long windows more sensitive than in production).
    int history =
        (int)
            Math.max(60, pages.stream().mapToLong(t -> t.longWindow().minutes()).max().orElse(60));
    // A full outage is noticed by a tier once factor x budget x long window minutes have failed.
    int detect =
        pages.stream()
            .filter(t -> t.factor(slo.period()).multiply(budget).compareTo(BigDecimal.ONE) < 0)
            .mapToInt(
                t ->
                    t.factor(slo.period())
                            .multiply(budget)
                            .multiply(BigDecimal.valueOf(t.longWindow().minutes()))
                            .setScale(0, RoundingMode.CEILING)
                            .intValueExact()
                        + (int) t.forDuration().minutes())
            .min()
            .orElse(50);
    out.add(
        new Scenario(
            "full outage",
            List.of(new Phase(history, BigDecimal.ZERO), new Phase(detect + 10, BigDecimal.ONE))));
    out.add(
        new Scenario(
            "10x burn",
            List.of(
                new Phase(360, BigDecimal.ZERO),
                new Phase(
                    240, BigDecimal.ONE.min(BudgetMath.plain(budget.multiply(BigDecimal.TEN)))))));
    BigDecimal minPage =
        pages.stream().map(t -> t.factor(slo.period())).min(BigDecimal::compareTo).orElse(null);
    BigDecimal ticket =
        tickets.stream().map(t -> t.factor(slo.period())).max(BigDecimal::compareTo).orElse(null);
    if (ticket != null) {
      BigDecimal burn =
          minPage == null || ticket.multiply(BigDecimal.TWO).compareTo(minPage) < 0
              ? ticket.multiply(BigDecimal.TWO)
              : ticket.add(minPage).divide(BigDecimal.TWO);
      out.add(
          new Scenario(
              "slow burn ("
                  + BudgetMath.plain(burn).toPlainString()
                  + "x) tickets and does not page",
              List.of(
                  new Phase(120, BudgetMath.plain(burn.multiply(budget).min(BigDecimal.ONE))))));
    }
    if (!pages.isEmpty()) {
      // The smallest full outage a page tier's long window notices, in minutes: factor x budget x
      // long
      // window (at most the 60 healthy minutes before the blip, which is all the window holds).
      BigDecimal noticed =
          pages.stream()
              .map(
                  t ->
                      t.factor(slo.period())
                          .multiply(budget)
                          .multiply(BigDecimal.valueOf(Math.min(60, t.longWindow().minutes()))))
              .min(BigDecimal::compareTo)
              .orElseThrow();
      BigDecimal half = noticed.divide(BigDecimal.TWO);
      Phase blip =
          half.compareTo(BigDecimal.ONE) >= 0
              ? new Phase(half.setScale(0, RoundingMode.FLOOR).intValueExact(), BigDecimal.ONE)
              : new Phase(1, BudgetMath.plain(half));
      out.add(
          new Scenario(
              "short blip clears",
              List.of(new Phase(60, BigDecimal.ZERO), blip, new Phase(60, BigDecimal.ZERO))));
      out.add(
          new Scenario(
              "recovery resolves the page",
              List.of(
                  new Phase(history, BigDecimal.ZERO),
                  new Phase(detect + 5, BigDecimal.ONE),
                  new Phase(60, BigDecimal.ZERO))));
    }
    return out;
  }
}
