package dev.vigil.slo.generate;

import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.PromDuration;
import dev.vigil.slo.model.Slo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a {@link Scenario} minute by minute through the semantics of the generated rules (window ratios
 * from counter increases, the event-weighted period ratio, thresholds, minimum events, {@code for}) and
 * says which alerts fire when. The generated promtool tests assert that Prometheus agrees.
 *
 * <p>With samples every minute and counters starting at 0, Prometheus' {@code rate} over a window is
 * exactly the counter increase inside the window divided by the window (no extrapolation), so ratios
 * here are exact decimals.
 */
public final class AlertTimeline {

  /**
   * One firing alert at one minute.
   *
   * @param alertName e.g. {@code SloBurnRatePage}
   * @param tier the tier, or null for the budget-exhausted alert
   * @param value the alert's value: burn rate over the long window, or remaining budget in percent
   */
  public record Firing(String alertName, AlertTier tier, double value) {}

  private final Slo slo;
  private final Scenario scenario;
  private final BigDecimal[] bad;
  private final BigDecimal[] total;
  private final List<List<Firing>> firing = new ArrayList<>();
  private final List<java.util.Set<String>> onThreshold = new ArrayList<>();
  private static final PromDuration FIVE_MINUTES = PromDuration.parse("5m");

  /**
   * Runs the scenario.
   *
   * @param slo the SLO whose rules are simulated
   * @param scenario the traffic
   */
  public AlertTimeline(Slo slo, Scenario scenario) {
    this.slo = slo;
    this.scenario = scenario;
    BigDecimal[] perMinute = scenario.badPerMinute();
    int n = scenario.minutes();
    bad = new BigDecimal[n + 1];
    total = new BigDecimal[n + 1];
    bad[0] = BigDecimal.ZERO;
    total[0] = BigDecimal.ZERO;
    for (int t = 1; t <= n; t++) {
      bad[t] = bad[t - 1].add(perMinute[t]);
      total[t] = total[t - 1].add(Scenario.EVENTS_PER_MINUTE);
    }
    run();
  }

  /** @return the scenario replayed */
  public Scenario scenario() {
    return scenario;
  }

  /** @param minute 0..scenario length @return the alerts firing after the evaluation at that minute */
  public List<Firing> firingAt(int minute) {
    return firing.get(minute);
  }

  /**
   * Whether the alert's state at {@code minute} follows from exact arithmetic. When a ratio sits exactly on
   * a threshold (e.g. 4000 bad of 400000 events against 1%), float rounding inside Prometheus decides,
   * so the generated tests do not assert that alert from that minute until its {@code for} has passed.
   *
   * @param alertName an alert name
   * @param minute a minute of the scenario
   * @return false when the condition was exactly on its threshold within {@code for} + 1 minute before
   */
  public boolean decided(String alertName, int minute) {
    long forMinutes = slo.alerting().exhaustedFor().minutes();
    for (AlertTier tier : slo.alerting().enabledTiers()) {
      forMinutes = Math.max(forMinutes, tier.forDuration().minutes());
    }
    for (int m = (int) Math.max(0, minute - forMinutes - 1); m <= minute; m++) {
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
      if (firing.get(t).stream().anyMatch(f -> f.alertName().equals(alertName))) {
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
      if (firing.get(t).stream().noneMatch(f -> f.alertName().equals(alertName))) {
        return t;
      }
    }
    return -1;
  }

  private void run() {
    BigDecimal budget = slo.errorBudget();
    Map<String, Integer> activeSince = new HashMap<>();
    List<AlertTier> tiers = slo.alerting().enabledTiers();
    List<BigDecimal> thresholds = tiers.stream().map(tier -> tier.factor(slo.period()).multiply(budget)).toList();
    BigDecimal minEvents = BigDecimal.valueOf(slo.alerting().minEvents());
    BigDecimal exhaustedRatio = BigDecimal.ONE.subtract(ErrorBudgetPolicy.EXHAUSTED_BELOW).multiply(budget);
    BigDecimal sumBad5m = BigDecimal.ZERO;
    BigDecimal sumTotal5m = BigDecimal.ZERO;
    long periodMinutes = slo.period().ruleWindow().minutes();
    List<BigDecimal[]> fiveMinute = new ArrayList<>();
    for (int t = 0; t <= scenario.minutes(); t++) {
      Map<String, Firing> candidates = new LinkedHashMap<>();
      java.util.Set<String> exact = new java.util.HashSet<>();
      onThreshold.add(exact);
      for (int i = 0; i < tiers.size(); i++) {
        AlertTier tier = tiers.get(i);
        int longSide = t == 0 ? -2 : side(t, tier.longWindow(), thresholds.get(i));
        int shortSide = t == 0 ? -2 : side(t, tier.shortWindow(), thresholds.get(i));
        if (longSide == 0 || shortSide == 0) {
          exact.add(tier.pages() ? SloSeries.ALERT_PAGE : SloSeries.ALERT_TICKET);
        }
        if (longSide > 0 && shortSide > 0 && increase(total, t, tier.longWindow()).compareTo(minEvents) >= 0) {
          double value = ratioAsPrometheus(t, tier.longWindow()) / budget.doubleValue();
          candidates.put(tier.name(), new Firing(tier.pages() ? SloSeries.ALERT_PAGE : SloSeries.ALERT_TICKET, tier, value));
        }
      }
      if (t > 0) {
        BigDecimal[] d = {increase(bad, t, FIVE_MINUTES), increase(total, t, FIVE_MINUTES)};
        fiveMinute.add(d);
        sumBad5m = sumBad5m.add(d[0]);
        sumTotal5m = sumTotal5m.add(d[1]);
        if (fiveMinute.size() > periodMinutes + 1) {
          BigDecimal[] old = fiveMinute.remove(0);
          sumBad5m = sumBad5m.subtract(old[0]);
          sumTotal5m = sumTotal5m.subtract(old[1]);
        }
        // remaining = 1 - (bad / total) / budget < EXHAUSTED_BELOW  <=>  bad > (1 - EXHAUSTED_BELOW) x budget x total
        int exhausted = sumTotal5m.signum() > 0 ? sumBad5m.compareTo(exhaustedRatio.multiply(sumTotal5m)) : -1;
        if (exhausted == 0) {
          exact.add(SloSeries.ALERT_EXHAUSTED);
        } else if (exhausted > 0) {
          double value = (1 - (sumBad5m.doubleValue() / sumTotal5m.doubleValue()) / budget.doubleValue()) * 100;
          candidates.put("exhausted", new Firing(SloSeries.ALERT_EXHAUSTED, null, value));
        }
      }
      activeSince.keySet().retainAll(candidates.keySet());
      List<Firing> now = new ArrayList<>();
      for (Map.Entry<String, Firing> e : candidates.entrySet()) {
        Integer since = activeSince.get(e.getKey());
        if (since == null) {
          since = t;
          activeSince.put(e.getKey(), since);
        }
        PromDuration forDuration = e.getValue().tier() == null ? slo.alerting().exhaustedFor() : e.getValue().tier().forDuration();
        if ((t - since) * 60L >= forDuration.seconds()) {
          now.add(e.getValue());
        }
      }
      firing.add(now);
    }
  }

  /** Sign of (bad ratio - threshold) over the window: 1 above, 0 exactly on it, -1 below, -2 no traffic. */
  private int side(int t, PromDuration window, BigDecimal threshold) {
    BigDecimal totalIncrease = increase(total, t, window);
    if (totalIncrease.signum() <= 0) {
      return -2;
    }
    return increase(bad, t, window).compareTo(threshold.multiply(totalIncrease));
  }

  private double ratioAsPrometheus(int t, PromDuration window) {
    double seconds = window.seconds();
    return (increase(bad, t, window).doubleValue() / seconds) / (increase(total, t, window).doubleValue() / seconds);
  }

  private static BigDecimal increase(BigDecimal[] counter, int t, PromDuration window) {
    int start = (int) Math.max(0, t - window.minutes());
    return counter[t].subtract(counter[start]);
  }
}
