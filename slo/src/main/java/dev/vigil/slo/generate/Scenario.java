package dev.vigil.slo.generate;

import dev.vigil.prometheus.PromDuration;
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
   * The probe's value each minute for a time slice SLI: in a phase with error ratio r the probe is
   * down in the share r of its minutes, spread evenly (minute i of the phase is down when {@code
   * floor(i x r)} grows at i: r = 0.01 is down at the 100th, 200th ... minute; r = 1 is down
   * throughout).
   *
   * @return the probe value for each minute 0..{@link #minutes()} (minute 0 up), 1 or 0
   */
  public BigDecimal[] probeSuccess() {
    BigDecimal[] out = new BigDecimal[minutes() + 1];
    out[0] = BigDecimal.ONE;
    int t = 1;
    for (Phase p : phases) {
      for (int i = 1; i <= p.minutes(); i++) {
        boolean down =
            p.errorRatio()
                    .multiply(BigDecimal.valueOf(i))
                    .setScale(0, RoundingMode.FLOOR)
                    .compareTo(
                        p.errorRatio()
                            .multiply(BigDecimal.valueOf(i - 1))
                            .setScale(0, RoundingMode.FLOOR))
                > 0;
        out[t++] = down ? BigDecimal.ZERO : BigDecimal.ONE;
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
    return sliceValue(probe, t).compareTo(target) >= 0;
  }

  /**
   * The value of the slice judged at minute {@code t}, as a RatioTimeslices SLI counts it: the
   * average of the probes at t-1m and t (only t at minute 0), see {@link #sliceGood}.
   *
   * @param probe {@link #probeSuccess()}
   * @param t the minute judged
   * @return the share of the slice's probes that succeeded, 0..1 (0, 0.5 or 1 for 0/1 probes)
   */
  public static BigDecimal sliceValue(BigDecimal[] probe, int t) {
    return t == 0 ? probe[0] : probe[t - 1].add(probe[t]).divide(BigDecimal.valueOf(2));
  }

  /**
   * The scenarios of a time slice SLO's generated test: probe histories, whole minutes up or down.
   * A probe is down for whole minutes, so the standard scenarios' partial error ratios become
   * probe-down minutes spread over the phase; the generated test's name then says from the replayed
   * rules whether and when it pages (at 99.9% over 30d a single down minute is 2.3% of the budget,
   * more than the 1h page's 2%, so with 1-minute slices no whole-minute blip stays quiet).
   *
   * @param slo a valid SLO with a time slice SLI
   * @return probe up throughout, full outage, 10x and 2x burns, a one-minute blip, recovery
   */
  public static List<Scenario> probeHistories(Slo slo) {
    BigDecimal budget = slo.errorBudget();
    List<Scenario> out = new ArrayList<>();
    out.add(
        new Scenario(
            "probe up throughout raises nothing", List.of(new Phase(120, BigDecimal.ZERO))));
    List<Scenario> standard = standard(slo);
    standard.stream().filter(s -> s.name().equals("full outage")).forEach(out::add);
    for (int burn : new int[] {10, 2}) {
      BigDecimal share = BigDecimal.ONE.min(budget.multiply(BigDecimal.valueOf(burn)));
      // 10x for 4h as the standard scenario; 2x for 10h, long enough for a down minute at 99.9%
      // (one in 500) and short enough for promtool (every minute evaluates every rule of the file)
      int minutes = burn == 10 ? 240 : 600;
      out.add(
          new Scenario(
              "probe down "
                  + burn
                  + "x the budget's share of minutes ("
                  + BudgetMath.plain(share.movePointRight(2)).toPlainString()
                  + "%) for "
                  + PromDuration.ofMinutes(minutes),
              List.of(new Phase(360, BigDecimal.ZERO), new Phase(minutes, share))));
    }
    out.add(
        new Scenario(
            "probe down for one minute",
            List.of(
                new Phase(60, BigDecimal.ZERO),
                new Phase(1, BigDecimal.ONE),
                new Phase(60, BigDecimal.ZERO))));
    standard.stream().filter(s -> s.name().startsWith("recovery")).forEach(out::add);
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
