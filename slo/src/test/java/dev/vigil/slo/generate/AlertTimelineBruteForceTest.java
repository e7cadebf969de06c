package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The alert timeline the generated promtool tests assert, against a brute-force replay written here
 * from the rules' documented meaning, for every SLO of slos/catalog.yaml (event, latency and time
 * slice SLIs) and the scenarios its generated test runs, plus one that sits exactly on a page
 * threshold. The brute force sums each window's events minute by minute in exact decimals (the
 * timeline keeps cumulative counts in scaled longs), decides every condition from its definition
 * (burn over both windows above factor x budget with at least the minimum events over the long
 * window; the period's bad ratio above 90% of the budget; each held for its {@code for}), and calls
 * a condition undecided when it is within 1e-9 of its threshold, as Prometheus' float64 may land on
 * either side: such an alert is compared neither while undecided nor for its {@code for} plus one
 * minute after.
 */
class AlertTimelineBruteForceTest {

  private static final BigDecimal NEAR = new BigDecimal("1e-9");
  private static final List<String> ALERTS =
      List.of(SloSeries.ALERT_PAGE, SloSeries.ALERT_TICKET, SloSeries.ALERT_EXHAUSTED);

  /** The bad and total events counted at each minute 0..n of a scenario. */
  private record Minutes(
      BigDecimal[] bad,
      BigDecimal[] total,
      boolean fromMinuteZero,
      BigDecimal[] badThrough,
      BigDecimal[] totalThrough) {

    Minutes(BigDecimal[] bad, BigDecimal[] total, boolean fromMinuteZero) {
      this(bad, total, fromMinuteZero, through(bad), through(total));
    }

    /** Sums through each minute, in exact decimals. */
    private static BigDecimal[] through(BigDecimal[] values) {
      BigDecimal[] out = new BigDecimal[values.length];
      BigDecimal sum = BigDecimal.ZERO;
      for (int m = 0; m < values.length; m++) {
        sum = sum.add(values[m]);
        out[m] = sum;
      }
      return out;
    }

    static Minutes of(Slo slo, Scenario s) {
      int n = s.minutes();
      BigDecimal[] bad = new BigDecimal[n + 1];
      BigDecimal[] total = new BigDecimal[n + 1];
      if (slo.sli() instanceof Sli.Timeslices slices) {
        // one verdict a minute from minute 0: 1 good or 0 (a target), or the slice's value
        BigDecimal[] probe = s.probeSuccess();
        for (int t = 0; t <= n; t++) {
          BigDecimal good =
              slices.target() == null
                  ? Scenario.sliceValue(probe, t)
                  : Scenario.sliceGood(probe, t, slices.target())
                      ? BigDecimal.ONE
                      : BigDecimal.ZERO;
          bad[t] = BigDecimal.ONE.subtract(good);
          total[t] = BigDecimal.ONE;
        }
        return new Minutes(bad, total, true);
      }
      // events: each evaluation from minute 1 records the minute before it
      BigDecimal[] perMinute = s.badPerMinute();
      for (int t = 0; t <= n; t++) {
        bad[t] = t == 0 ? BigDecimal.ZERO : perMinute[t];
        total[t] = t == 0 ? BigDecimal.ZERO : Scenario.EVENTS_PER_MINUTE;
      }
      return new Minutes(bad, total, false);
    }

    /** {bad, total} summed over the minutes a window of {@code w} minutes holds at {@code t}. */
    BigDecimal[] window(int t, long w) {
      long first = Math.max(fromMinuteZero ? 0 : 1, t - w + 1);
      return new BigDecimal[] {sum(bad, first, t), sum(total, first, t)};
    }

    /** The exact sum of {@code values[first..last]}, from sums through each minute. */
    private BigDecimal sum(BigDecimal[] values, long first, int last) {
      BigDecimal[] through = values == bad ? badThrough : totalThrough;
      return first > last
          ? BigDecimal.ZERO
          : through[last].subtract(first == 0 ? BigDecimal.ZERO : through[(int) first - 1]);
    }
  }

  /** 1 above the threshold ratio, 0 within 1e-9 of it, -1 below, -2 no events. */
  private static int side(BigDecimal[] window, BigDecimal ratio) {
    if (window[1].signum() <= 0) {
      return -2;
    }
    BigDecimal limit = ratio.multiply(window[1]);
    if (window[0].subtract(limit).abs().compareTo(limit.multiply(NEAR)) <= 0) {
      return 0;
    }
    return window[0].compareTo(limit);
  }

  /** One expected firing: the alert, its tier (null: budget exhausted) and its value. */
  private record Fire(String alert, String tier, double value) {}

  /** What the brute force says at one minute. */
  private record State(List<Fire> firing, List<String> near) {}

  private static List<State> bruteForce(Slo slo, Scenario s) {
    Minutes minutes = Minutes.of(slo, s);
    BigDecimal budget = slo.errorBudget();
    List<AlertTier> tiers = slo.alerting().enabledTiers();
    Map<String, Integer> heldSince = new TreeMap<>();
    List<State> states = new ArrayList<>();
    for (int t = 0; t <= s.minutes(); t++) {
      Map<String, Fire> conditions = new TreeMap<>();
      List<String> near = new ArrayList<>();
      Map<String, Long> forSeconds = new TreeMap<>();
      for (AlertTier tier : tiers) {
        String alert = tier.pages() ? SloSeries.ALERT_PAGE : SloSeries.ALERT_TICKET;
        BigDecimal ratio = tier.factor(slo.period()).multiply(budget);
        BigDecimal[] longWindow = minutes.window(t, tier.longWindow().minutes());
        int longSide = t == 0 ? -2 : side(longWindow, ratio);
        int shortSide = t == 0 ? -2 : side(minutes.window(t, tier.shortWindow().minutes()), ratio);
        if (longSide == 0 || shortSide == 0) {
          near.add(alert);
        }
        if (longSide > 0
            && shortSide > 0
            && longWindow[1].compareTo(BigDecimal.valueOf(slo.alerting().minEvents())) >= 0) {
          double burn =
              longWindow[0].divide(longWindow[1], MathContext.DECIMAL64).doubleValue()
                  / budget.doubleValue();
          conditions.put(tier.name(), new Fire(alert, tier.name(), burn));
          forSeconds.put(tier.name(), tier.forDuration().seconds());
        }
      }
      if (t > 0) {
        BigDecimal[] period = minutes.window(t, slo.period().ruleWindow().minutes());
        BigDecimal exhausted =
            BigDecimal.ONE.subtract(ErrorBudgetPolicy.EXHAUSTED_BELOW).multiply(budget);
        int side = side(period, exhausted);
        if (side == 0) {
          near.add(SloSeries.ALERT_EXHAUSTED);
        } else if (side > 0) {
          double burned =
              period[0].divide(period[1], MathContext.DECIMAL64).doubleValue()
                  / budget.doubleValue();
          conditions.put(
              "~exhausted", new Fire(SloSeries.ALERT_EXHAUSTED, null, (1 - burned) * 100));
          forSeconds.put("~exhausted", slo.alerting().exhaustedFor().seconds());
        }
      }
      heldSince.keySet().retainAll(conditions.keySet());
      List<Fire> firing = new ArrayList<>();
      for (Map.Entry<String, Fire> c : conditions.entrySet()) {
        int since = heldSince.computeIfAbsent(c.getKey(), k -> -1);
        if (since < 0) {
          since = t;
          heldSince.put(c.getKey(), t);
        }
        if ((t - since) * 60L >= forSeconds.get(c.getKey())) {
          firing.add(c.getValue());
        }
      }
      states.add(new State(firing, near));
    }
    return states;
  }

  private static long longestFor(Slo slo) {
    long minutes = slo.alerting().exhaustedFor().minutes();
    for (AlertTier tier : slo.alerting().enabledTiers()) {
      minutes = Math.max(minutes, tier.forDuration().minutes());
    }
    return minutes;
  }

  private static List<Scenario> scenarios(Slo slo) {
    List<Scenario> out =
        new ArrayList<>(
            slo.sli() instanceof Sli.Timeslices
                ? Scenario.probeHistories(slo)
                : Scenario.standard(slo));
    BigDecimal budget = slo.errorBudget();
    // a burn exactly on the first page tier's threshold for two hours, and one a hair (5e-10
    // relative) above it: both within Prometheus' float error, so undecided, never asserted
    slo.alerting().enabledTiers().stream()
        .filter(AlertTier::pages)
        .findFirst()
        .ifPresent(
            tier -> {
              BigDecimal on = tier.factor(slo.period()).multiply(budget);
              for (BigDecimal ratio : List.of(on, on.multiply(new BigDecimal("1.0000000005")))) {
                out.add(
                    new Scenario(
                        "at " + ratio + " against the " + tier.name() + " threshold " + on,
                        List.of(
                            new Scenario.Phase(60, BigDecimal.ZERO),
                            new Scenario.Phase(120, ratio))));
              }
            });
    // an outage from the very first minute: the long windows are not full yet, the minimum number
    // of events decides the first minutes, and each window fills up at its own length
    out.add(new Scenario("down from the start", List.of(new Scenario.Phase(400, BigDecimal.ONE))));
    // the budget exhausted (95% then 99% of the sustainable rate, below every tier), recovered by a
    // clean spell, then exhausted again 67 minutes into the second burn: its `for` starts over
    out.add(
        new Scenario(
            "exhausted twice",
            List.of(
                new Scenario.Phase(60, budget.multiply(new BigDecimal("0.95"))),
                new Scenario.Phase(10, BigDecimal.ZERO),
                new Scenario.Phase(300, budget.multiply(new BigDecimal("0.99"))))));
    return out;
  }

  @Test
  void everyAlertOfEveryCatalogSloFiresWhenTheBruteForceReplaySaysAndOnlyThen() {
    int compared = 0;
    int undecided = 0;
    int fired = 0;
    for (Slo slo : AlertTimelineTest.catalog()) {
      long forMinutes = longestFor(slo);
      for (Scenario s : scenarios(slo)) {
        AlertTimeline timeline = new AlertTimeline(slo, s);
        List<State> truth = bruteForce(slo, s);
        String where = slo.name() + ", " + s.name();
        for (String alert : ALERTS) {
          for (int t = 0; t <= s.minutes(); t++) {
            boolean decided = true;
            for (long m = Math.max(0, t - forMinutes - 1); m <= t; m++) {
              decided &= !truth.get((int) m).near().contains(alert);
            }
            assertThat(timeline.decided(alert, t))
                .as("%s: %s decided at minute %d", where, alert, t)
                .isEqualTo(decided);
            if (!decided) {
              undecided++;
              continue;
            }
            compared++;
            List<Fire> expected =
                truth.get(t).firing().stream().filter(f -> f.alert().equals(alert)).toList();
            List<AlertTimeline.Firing> actual =
                timeline.firingAt(t).stream().filter(f -> f.alertName().equals(alert)).toList();
            fired += expected.size();
            assertThat(actual)
                .as("%s: %s at minute %d", where, alert, t)
                .extracting(f -> f.tier() == null ? null : f.tier().name())
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(Fire::tier).toList());
            for (AlertTimeline.Firing f : actual) {
              String tier = f.tier() == null ? null : f.tier().name();
              for (Fire e : expected) {
                if (!Objects.equals(e.tier(), tier)) {
                  continue;
                }
                String what = where + ": " + alert + " " + tier + " at minute " + t;
                assertThat(f.value())
                    .as(what)
                    .isCloseTo(e.value(), Offset.offset(1e-9 * Math.max(1, Math.abs(e.value()))));
                // Prometheus' ratio may be 1e-9 off either way: the range spans that
                double spread = 2e-9 * (tier == null ? Math.abs(100 - f.value()) : f.value());
                assertThat(f.low()).as(what).isLessThanOrEqualTo(f.value());
                assertThat(f.high()).as(what).isGreaterThanOrEqualTo(f.value());
                assertThat(f.high() - f.low())
                    .as(what)
                    .isCloseTo(spread, Offset.offset(1e-12 * Math.max(1, Math.abs(f.value()))));
              }
            }
          }
          int first = -1;
          for (int t = 0; t <= s.minutes() && first < 0; t++) {
            int minute = t;
            if (truth.get(t).firing().stream().anyMatch(f -> f.alert().equals(alert))
                && timeline.decided(alert, minute)) {
              first = t;
            }
          }
          if (first >= 0 && timeline.decided(alert, first)) {
            assertThat(timeline.firstFiring(alert, 0))
                .as("%s: first %s", where, alert)
                .isLessThanOrEqualTo(first);
            assertThat(timeline.firstFiring(alert, first))
                .as("%s: %s fires at %d", where, alert, first)
                .isEqualTo(first);
            int quiet = -1;
            boolean allDecided = true;
            for (int t = first; t <= s.minutes() && quiet < 0; t++) {
              allDecided &= timeline.decided(alert, t);
              if (truth.get(t).firing().stream().noneMatch(f -> f.alert().equals(alert))) {
                quiet = t;
              }
            }
            if (allDecided) {
              assertThat(timeline.firstQuiet(alert, first))
                  .as("%s: %s quiet again", where, alert)
                  .isEqualTo(quiet);
            }
          }
        }
      }
    }
    assertThat(compared).as("minutes compared").isGreaterThan(10_000);
    assertThat(undecided).as("the threshold scenarios are undecided somewhere").isPositive();
    assertThat(fired).as("firing minutes compared").isGreaterThan(100);
  }
}
