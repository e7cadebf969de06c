package dev.vigil.slo.generate;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a {@link Scenario} minute by minute through the semantics of the generated rules (window
 * ratios from counter increases, the event-weighted period ratio, thresholds, minimum events,
 * {@code for}) and says which alerts fire when. The generated promtool tests assert that Prometheus
 * agrees.
 *
 * <p>With samples every minute and counters starting at 0, Prometheus' {@code rate} over a window
 * is exactly the counter increase inside the window divided by the window (no extrapolation), so
 * ratios here are exact decimals. Prometheus computes the same ratios in float64 ({@code (total -
 * good) / total}, sums of rates), which can differ from the exact ratio in the last bits: a
 * remaining budget of exactly 0 may come out as {@code -2e-14} and print {@code -0.0}. So every
 * ratio Prometheus computes is taken as uncertain by {@link #RELATIVE_ERROR}: a condition that
 * close to its threshold is not {@link #decided}, and each {@link Firing} carries the range its
 * value may take.
 */
public final class AlertTimeline {

  /**
   * The largest relative difference assumed between an exact window ratio and Prometheus' float64
   * one. The float error of {@code (total - good) / total} is a few units in the last place of
   * total relative to bad (about 1e-16 x total / bad); for error ratios down to 1e-5 (objectives up
   * to 99.999%) that is below 1e-10, so 1e-9 leaves a margin of ten.
   */
  static final double RELATIVE_ERROR = 1e-9;

  /**
   * One firing alert at one minute.
   *
   * @param alertName e.g. {@code SloBurnRatePage}
   * @param tier the tier, or null for the budget-exhausted alert
   * @param value the alert's value: burn rate over the long window, or remaining budget in percent
   * @param low the least value Prometheus may compute for it (its ratio {@link #RELATIVE_ERROR}
   *     off)
   * @param high the greatest value Prometheus may compute for it
   */
  public record Firing(String alertName, AlertTier tier, double value, double low, double high) {}

  private final Slo slo;
  private final Scenario scenario;

  /** Cumulative bad events at each minute, in units of 10^-scale events (exact integers). */
  private final long[] bad;

  /** Cumulative events at each minute, in the same units. */
  private final long[] total;

  private final int scale;

  /**
   * True for time slice SLIs (Timeslices and RatioTimeslices), whose counts are recorded verdicts,
   * one a minute from minute 0: a window of w minutes at minute t holds the verdicts of minutes
   * t-w+1..t (its range is w less 1 ms, see RecordedWindows.range), all of them from minute 0 while
   * t < w. Event SLIs record the increase of the minute before each evaluation from minute 1.
   */
  private final boolean closedRanges;

  /** 10^scale as a double (exact for the scales scenarios use). */
  private final double unit;

  private final List<List<Firing>> firing;
  private final List<java.util.Set<String>> onThreshold;

  /** The longest {@code for} of the SLO's alerts, in minutes (see {@link #decided}). */
  private final long longestForMinutes;

  /**
   * Runs the scenario.
   *
   * @param slo the SLO whose rules are simulated
   * @param scenario the traffic
   */
  public AlertTimeline(Slo slo, Scenario scenario) {
    this.slo = slo;
    this.scenario = scenario;
    int length = scenario.minutes() + 1;
    this.firing = new ArrayList<>(length);
    this.onThreshold = new ArrayList<>(length);
    long forMinutes = slo.alerting().exhaustedFor().minutes();
    for (AlertTier tier : slo.alerting().enabledTiers()) {
      forMinutes = Math.max(forMinutes, tier.forDuration().minutes());
    }
    this.longestForMinutes = forMinutes;
    if (slo.sli() instanceof Sli.Timeslices slices) {
      // Timeslices: each verdict is 1 (good) or 0; RatioTimeslices: each verdict is the slice's
      // value, here 0, 0.5 or 1 (the average of two probes), counted in tenths to stay exact
      closedRanges = true;
      scale = slices.target() == null ? 1 : 0;
      unit = scale == 1 ? 10 : 1;
      long whole = (long) unit;
      int n = scenario.minutes();
      bad = new long[n + 1];
      total = new long[n + 1];
      BigDecimal[] probe = scenario.probeSuccess();
      for (int t = 0; t <= n; t++) {
        long good =
            slices.target() == null
                ? Scenario.sliceValue(probe, t).movePointRight(scale).longValueExact()
                : Scenario.sliceGood(probe, t, slices.target()) ? whole : 0;
        bad[t] = (t == 0 ? 0 : bad[t - 1]) + whole - good;
        total[t] = (t == 0 ? 0 : total[t - 1]) + whole;
      }
      run();
      return;
    }
    closedRanges = false;
    BigDecimal[] perMinute = scenario.badPerMinute();
    int n = scenario.minutes();
    // a phase repeats one BigDecimal instance for each of its minutes: convert each instance once
    scale =
        java.util.Arrays.stream(perMinute)
            .distinct()
            .mapToInt(v -> Math.max(0, BudgetMath.plain(v).scale()))
            .max()
            .orElse(0);
    unit = Double.parseDouble("1e" + scale);
    long eventsPerMinute = Scenario.EVENTS_PER_MINUTE.movePointRight(scale).longValueExact();
    bad = new long[n + 1];
    total = new long[n + 1];
    BigDecimal previous = null;
    long badUnits = 0;
    for (int t = 1; t <= n; t++) {
      if (perMinute[t] != previous) {
        previous = perMinute[t];
        badUnits = previous.movePointRight(scale).longValueExact();
      }
      bad[t] = Math.addExact(bad[t - 1], badUnits);
      total[t] = Math.addExact(total[t - 1], eventsPerMinute);
    }
    run();
  }

  /**
   * @return the scenario replayed
   */
  public Scenario scenario() {
    return scenario;
  }

  /**
   * @param minute 0..scenario length @return the alerts firing after the evaluation at that minute
   */
  public List<Firing> firingAt(int minute) {
    return firing.get(minute);
  }

  /**
   * Whether the alert's state at {@code minute} follows from exact arithmetic. When a ratio sits on
   * a threshold (e.g. 4000 bad of 400000 events against 1%), or within {@link #RELATIVE_ERROR} of
   * it, float rounding inside Prometheus decides, so the generated tests do not assert that alert
   * from that minute until its {@code for} has passed.
   *
   * @param alertName an alert name
   * @param minute a minute of the scenario
   * @return false when the condition was on its threshold within {@code for} + 1 minute before
   */
  public boolean decided(String alertName, int minute) {
    for (int m = (int) Math.max(0, minute - longestForMinutes - 1); m <= minute; m++) {
      if (onThreshold.get(m).contains(alertName)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param alertName an alert name
   * @param from first minute to look at
   * @return the first minute at or after {@code from} at which the alert fires, or -1
   */
  public int firstFiring(String alertName, int from) {
    for (int t = from; t < firing.size(); t++) {
      if (fires(alertName, t)) {
        return t;
      }
    }
    return -1;
  }

  /**
   * @param alertName an alert name
   * @param from first minute to look at
   * @return the first minute at or after {@code from} at which the alert does not fire, or -1
   */
  public int firstQuiet(String alertName, int from) {
    for (int t = from; t < firing.size(); t++) {
      if (!fires(alertName, t)) {
        return t;
      }
    }
    return -1;
  }

  private boolean fires(String alertName, int minute) {
    // indexed: most minutes fire nothing, and an iterator per minute is most of a scan's cost
    List<Firing> now = firing.get(minute);
    for (int i = 0; i < now.size(); i++) {
      if (now.get(i).alertName().equals(alertName)) {
        return true;
      }
    }
    return false;
  }

  private void run() {
    BigDecimal budget = slo.errorBudget();
    Map<String, Integer> activeSince = new HashMap<>();
    List<AlertTier> tiers = slo.alerting().enabledTiers();
    int tierCount = tiers.size();
    Threshold[] thresholds = new Threshold[tierCount];
    String[] alertNames = new String[tierCount];
    long[] longWindows = new long[tierCount];
    long[] shortWindows = new long[tierCount];
    for (int i = 0; i < tierCount; i++) {
      AlertTier tier = tiers.get(i);
      thresholds[i] = new Threshold(tier.factor(slo.period()).multiply(budget));
      alertNames[i] = tier.pages() ? SloSeries.ALERT_PAGE : SloSeries.ALERT_TICKET;
      longWindows[i] = tier.longWindow().minutes();
      shortWindows[i] = tier.shortWindow().minutes();
    }
    long minEvents =
        Math.multiplyExact(
            slo.alerting().minEvents(), BigDecimal.ONE.movePointRight(scale).longValueExact());
    Threshold exhaustedRatio =
        new Threshold(BigDecimal.ONE.subtract(ErrorBudgetPolicy.EXHAUSTED_BELOW).multiply(budget));
    double budgetValue = budget.doubleValue();
    long periodMinutes = slo.period().ruleWindow().minutes();
    int minutes = scenario.minutes();
    for (int t = 0; t <= minutes; t++) {
      // most minutes of a scenario have no candidate: the map is made for the first one
      Map<String, Firing> candidates = null;
      java.util.Set<String> exact = java.util.Set.of();
      for (int i = 0; i < tierCount; i++) {
        int longSide = t == 0 ? -2 : side(t, longWindows[i], thresholds[i]);
        int shortSide = t == 0 ? -2 : side(t, shortWindows[i], thresholds[i]);
        if (longSide == 0 || shortSide == 0) {
          exact = with(exact, alertNames[i]);
        }
        if (longSide > 0 && shortSide > 0 && increase(total, t, longWindows[i]) >= minEvents) {
          double value = ratioAsPrometheus(t, longWindows[i]) / budgetValue;
          candidates = candidates == null ? new LinkedHashMap<>() : candidates;
          candidates.put(
              tiers.get(i).name(),
              new Firing(
                  alertNames[i],
                  tiers.get(i),
                  value,
                  value * (1 - RELATIVE_ERROR),
                  value * (1 + RELATIVE_ERROR)));
        }
      }
      if (t > 0) {
        // the recorded period ratio: the SLO's recorded counts summed over the whole period
        // (SloSeries.ratioOver)
        long periodBad = increase(bad, t, periodMinutes);
        long periodTotal = increase(total, t, periodMinutes);
        // remaining = 1 - (bad / total) / budget < EXHAUSTED_BELOW  <=>  bad > (1 -
        // EXHAUSTED_BELOW) x budget x total
        int exhausted = periodTotal > 0 ? exhaustedRatio.compare(periodBad, periodTotal) : -1;
        if (exhausted == 0) {
          exact = with(exact, SloSeries.ALERT_EXHAUSTED);
        } else if (exhausted > 0) {
          double burned = (events(periodBad) / events(periodTotal)) / budgetValue;
          double value = (1 - burned) * 100;
          candidates = candidates == null ? new LinkedHashMap<>() : candidates;
          candidates.put(
              "exhausted",
              new Firing(
                  SloSeries.ALERT_EXHAUSTED,
                  null,
                  value,
                  (1 - burned * (1 + RELATIVE_ERROR)) * 100,
                  (1 - burned * (1 - RELATIVE_ERROR)) * 100));
        }
      }
      onThreshold.add(exact);
      if (candidates == null) {
        activeSince.clear();
        firing.add(List.of());
        continue;
      }
      activeSince.keySet().retainAll(candidates.keySet());
      List<Firing> now = new ArrayList<>();
      for (Map.Entry<String, Firing> e : candidates.entrySet()) {
        Integer since = activeSince.get(e.getKey());
        if (since == null) {
          since = t;
          activeSince.put(e.getKey(), since);
        }
        PromDuration forDuration =
            e.getValue().tier() == null
                ? slo.alerting().exhaustedFor()
                : e.getValue().tier().forDuration();
        if ((t - since) * 60L >= forDuration.seconds()) {
          now.add(e.getValue());
        }
      }
      firing.add(now.isEmpty() ? List.of() : now);
    }
  }

  private static java.util.Set<String> with(java.util.Set<String> set, String alertName) {
    java.util.Set<String> out = new java.util.HashSet<>(set);
    out.add(alertName);
    return out;
  }

  /**
   * Sign of (bad ratio - threshold) over the window: 1 above, 0 exactly on it, -1 below, -2 no
   * traffic.
   */
  private int side(int t, long windowMinutes, Threshold threshold) {
    long totalIncrease = increase(total, t, windowMinutes);
    if (totalIncrease <= 0) {
      return -2;
    }
    return threshold.compare(increase(bad, t, windowMinutes), totalIncrease);
  }

  /**
   * A decimal ratio as the exact fraction {@code numerator / 10^scale}, so that comparing it with a
   * ratio of two counts takes two long multiplications instead of decimal arithmetic every minute.
   */
  private static final class Threshold {
    private final BigDecimal ratio;
    private final long numerator;
    private final long denominator;
    private final boolean exactInLongs;

    Threshold(BigDecimal ratio) {
      this.ratio = ratio;
      int digits = Math.max(0, ratio.scale());
      long num = 0;
      long den = 0;
      boolean fits = digits <= 18;
      if (fits) {
        try {
          den = BigDecimal.ONE.movePointRight(digits).longValueExact();
          num = ratio.movePointRight(digits).longValueExact();
        } catch (ArithmeticException tooLarge) {
          fits = false;
        }
      }
      this.numerator = num;
      this.denominator = den;
      this.exactInLongs = fits;
    }

    /**
     * Sign of {@code a - ratio x b} for counts a and b: 0 when a / b is within {@link
     * #RELATIVE_ERROR} of the ratio (Prometheus' float64 may land on either side).
     */
    int compare(long a, long b) {
      if (exactInLongs) {
        try {
          long left = Math.multiplyExact(a, denominator);
          long right = Math.multiplyExact(numerator, b);
          double gap = Math.abs((double) left - (double) right);
          return gap <= RELATIVE_ERROR * right ? 0 : Long.compare(left, right);
        } catch (ArithmeticException overflow) {
          // fall through to decimal arithmetic
        }
      }
      BigDecimal left = BigDecimal.valueOf(a);
      BigDecimal right = ratio.multiply(BigDecimal.valueOf(b));
      BigDecimal gap = left.subtract(right).abs();
      return gap.compareTo(right.multiply(BigDecimal.valueOf(RELATIVE_ERROR))) <= 0
          ? 0
          : left.compareTo(right);
    }
  }

  /**
   * The ratio bad/total over the window as Prometheus computes it in float64: rate(bad) /
   * rate(total).
   */
  private double ratioAsPrometheus(int t, long windowMinutes) {
    double seconds = windowMinutes * 60.0;
    return (events(increase(bad, t, windowMinutes)) / seconds)
        / (events(increase(total, t, windowMinutes)) / seconds);
  }

  /** A count in units of 10^-scale as a double number of events, correctly rounded. */
  private double events(long units) {
    return units / unit;
  }

  private long increase(long[] counter, int t, long windowMinutes) {
    if (closedRanges) {
      // the verdicts of minutes t-w+1..t: cumulative through t minus through t-w
      int before = (int) (t - windowMinutes);
      return counter[t] - (before < 0 ? 0 : counter[before]);
    }
    int start = (int) Math.max(0, t - windowMinutes);
    return counter[t] - counter[start];
  }
}
