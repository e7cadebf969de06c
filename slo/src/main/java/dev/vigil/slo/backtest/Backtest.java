package dev.vigil.slo.backtest;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.SampleWriter;
import dev.vigil.slo.backfill.Backfill;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an SLO's generated alerts would have done over a range of history, before the spec is
 * deployed: {@code vigil slo backtest}.
 *
 * <p>The engine is Prometheus' own, layer by layer. The SLO's event rules ({@link
 * RuleFileGenerator#eventRules}) are evaluated over the history's raw series with range queries at
 * the groups' one-minute step and written into a replay Prometheus ({@link
 * Backfill#writeEventRules}). Each alert of the group that {@code vigil slo generate} writes is
 * then evaluated there with one range query at the same step, its recorded series replaced by the
 * expressions that record them (a recording rule's value at an evaluation is its expression's value
 * then), and Prometheus' {@code for} is applied to the minutes its expression returned a value:
 * pending from the first such minute, firing once it has held for {@code for}, resolved at the
 * first minute without a value.
 *
 * <p>{@link SloSeries#ALERT_ABSENT} is replayed only at the minutes at which the history's store
 * was scraping anything ({@code up} had a sample): before a stack started, or while it was down, no
 * Prometheus was there to find the SLI absent.
 *
 * <p>{@link SloSeries#ALERT_EXHAUSTED} is not replayed (its period window at every minute of a
 * month would read the month 43,200 times); the budget consumed over the range and remaining at its
 * end are reported instead.
 */
public final class Backtest {

  /**
   * A notification the alert would have sent: pending from {@code pending} (its condition held),
   * firing from {@code firing}, resolved at {@code resolved}.
   *
   * @param pending the first minute of the run at which the alert's expression had a value
   * @param firing the first minute it fired, {@code for} after {@code pending} or later
   * @param resolved the first minute it no longer did; null when it still fired at the range's end
   */
  public record Notification(Instant pending, Instant firing, Instant resolved) {

    /**
     * @return e.g. {@code pending 2026-12-07T14:29:00Z, firing 2026-12-07T14:30:00Z ..
     *     2026-12-07T14:40:00Z}, the end {@code still firing at the end} when unresolved
     */
    public String describe() {
      return "pending "
          + pending
          + ", firing "
          + firing
          + " .. "
          + (resolved == null ? "still firing at the end" : resolved);
    }
  }

  /**
   * One alert rule of the SLO (one tier, or the absent alert) over the range.
   *
   * @param alert the alert name, e.g. {@code SloBurnRatePage}
   * @param labels the rule's labels (severity, long_window, short_window ...)
   * @param forDuration the rule's {@code for}
   * @param notifications what it would have sent, oldest first
   * @param firingMinutes minutes (evaluation times) at which it was firing
   */
  public record AlertResult(
      String alert,
      Map<String, String> labels,
      PromDuration forDuration,
      List<Notification> notifications,
      Set<Instant> firingMinutes) {

    /**
     * @return e.g. {@code SloBurnRatePage 1h/5m}, or the alert name without windows
     */
    public String title() {
      String lw = labels.get("long_window");
      return lw == null ? alert : alert + " " + lw + "/" + labels.get("short_window");
    }

    /**
     * @return true for a page (severity critical)
     */
    public boolean pages() {
      return AlertTier.PAGE.equals(labels.get("severity"));
    }
  }

  /**
   * One SLO's backtest.
   *
   * @param slo the SLO
   * @param from the first minute evaluated
   * @param to the last minute evaluated
   * @param consumedPercent share of the error budget the range's events consumed, percent of the
   *     budget for those events (NaN without events)
   * @param remainingPercent budget remaining over the period ending at {@code to}, percent (NaN
   *     without events)
   * @param samplesWritten minute counts written into the replay store (the evaluation's input)
   * @param alerts each alert rule's result, in rule order
   * @param burnRates when asked for ({@link #run(Slo, Instant, Instant, boolean)}), the burn rate
   *     over each window of the enabled tiers at every minute of the range: window to points {@code
   *     [epoch seconds, burn rate]} (the error ratio over the window / the error budget; minutes
   *     whose window recorded no events have no point); empty otherwise
   */
  public record Result(
      Slo slo,
      Instant from,
      Instant to,
      double consumedPercent,
      double remainingPercent,
      long samplesWritten,
      List<AlertResult> alerts,
      Map<PromDuration, List<double[]>> burnRates) {

    /**
     * @param pages true for the pages (severity critical), false for the tickets
     * @return how many notifications the burn-rate tiers of that kind would have sent
     */
    public int notifications(boolean pages) {
      return alerts.stream()
          .filter(a -> a.pages() == pages && a.labels().containsKey("long_window"))
          .mapToInt(a -> a.notifications().size())
          .sum();
    }
  }

  /** The history held none of the SLI's series in the range: nothing was evaluated. */
  public static final class NothingToEvaluate extends IOException {
    private static final long serialVersionUID = 1L;

    NothingToEvaluate(String message) {
      super(message);
    }
  }

  private final PrometheusClient source;
  private final PrometheusClient replay;
  private final SampleWriter replayWriter;
  private final RuleFileGenerator generator = new RuleFileGenerator();

  /**
   * @param source where the history's raw series are (any Prometheus-compatible API)
   * @param replay an empty replay Prometheus
   * @param replayWriter its remote-write receiver (it must accept samples behind its head), or
   *     blocks into its data directory (faster to query: remote-written history is served from
   *     Prometheus 2.x's out-of-order head)
   */
  public Backtest(PrometheusClient source, PrometheusClient replay, SampleWriter replayWriter) {
    this.source = source;
    this.replay = replay;
    this.replayWriter = replayWriter;
  }

  /**
   * Backtests one SLO.
   *
   * @param slo the SLO (from the spec being tried)
   * @param from the start of the range (rounded up to a minute)
   * @param to the end of the range (rounded down to a minute)
   * @return what its alerts would have done
   * @throws NothingToEvaluate when the history held nothing to evaluate (the message names the
   *     range and the SLI)
   * @throws IOException when a store fails
   */
  public Result run(Slo slo, Instant from, Instant to) throws IOException {
    return run(slo, from, to, false);
  }

  /**
   * Backtests one SLO, and with {@code burnRates} also records the burn rate over each window of
   * its enabled tiers at every minute, for charts (one more range query per window).
   *
   * @param slo the SLO (from the spec being tried)
   * @param from the start of the range (rounded up to a minute; later when the history's first
   *     count of the SLI is later: minutes before the SLI was recorded at all are not evaluated)
   * @param to the end of the range (rounded down to a minute)
   * @param burnRates whether to record the burn-rate series ({@link Result#burnRates()})
   * @return what its alerts would have done
   * @throws NothingToEvaluate when the history held nothing to evaluate (the message names the
   *     range and the SLI)
   * @throws IOException when a store fails
   */
  public Result run(Slo slo, Instant from, Instant to, boolean burnRates) throws IOException {
    long minute = RecordedWindows.BASE.millis();
    Instant first = Instant.ofEpochMilli((from.toEpochMilli() + minute - 1) / minute * minute);
    Instant last = Instant.ofEpochMilli(to.toEpochMilli() / minute * minute);
    if (last.isBefore(first)) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
    long lookback =
        Math.max(
            slo.period().ruleWindow().millis(),
            slo.alerting().enabledTiers().stream()
                    .mapToLong(t -> t.longWindow().millis())
                    .max()
                    .orElse(0)
                + (last.toEpochMilli() - first.toEpochMilli()));
    Instant start = last.minusMillis(lookback - minute);
    long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
    long written =
        new Backfill(source, replay, replayWriter)
            .writeEventRules(slo, start, last, span).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    if (written == 0 || span[1] < first.toEpochMilli()) {
      throw new NothingToEvaluate(
          slo.service()
              + "/"
              + slo.name()
              + ": the backtest evaluated nothing: the SLI's series have no data between "
              + start
              + " and "
              + last
              + " (check the spec's selectors with vigil slo validate --prometheus)");
    }
    // Evaluated from the first minute the history recorded the SLI: before it the source held
    // nothing (e.g. the stack was not running), and Prometheus was not there to fire SloSliAbsent.
    if (span[0] > first.toEpochMilli()) {
      first = Instant.ofEpochMilli((span[0] + minute - 1) / minute * minute);
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules =
        (List<Map<String, Object>>) generator.groups(List.of(slo)).get(0).get("rules");
    // every recording but the event rules (written into the replay store) is inlined
    Set<Object> events =
        generator.eventRules(slo).stream().map(r -> r.get("record")).collect(Collectors.toSet());
    Map<String, String> recorded = new LinkedHashMap<>();
    for (Map<String, Object> rule : rules) {
      if (rule.containsKey("record") && !events.contains(rule.get("record"))) {
        recorded.put(
            rule.get("record") + SloSeries.matchers(slo), ((String) rule.get("expr")).strip());
      }
    }
    List<AlertResult> alerts = new ArrayList<>();
    for (Map<String, Object> rule : rules) {
      if (!rule.containsKey("alert") || SloSeries.ALERT_EXHAUSTED.equals(rule.get("alert"))) {
        continue;
      }
      String expr = inline(((String) rule.get("expr")).strip(), recorded);
      Set<Instant> active = new TreeSet<>();
      for (double[] p : everyMinute(replay, expr, first, last)) {
        active.add(Instant.ofEpochMilli(Math.round(p[0] * 1000)));
      }
      if (SloSeries.ALERT_ABSENT.equals(rule.get("alert"))) {
        // an absent SLI is news only while the history's store was scraping something
        Set<Instant> scraping = scrapingMinutes(first, last);
        if (scraping != null) {
          active.retainAll(scraping);
        }
      }
      PromDuration forDuration = PromDuration.parse((String) rule.get("for"));
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) rule.get("labels");
      alerts.add(replayFor((String) rule.get("alert"), labels, forDuration, active, first, last));
    }
    PromDuration range =
        PromDuration.ofSeconds((last.toEpochMilli() - first.toEpochMilli()) / 1000 + minute / 1000);
    double budget = slo.errorBudget().doubleValue();
    double consumed =
        replay.value(SloSeries.ratioOver(slo, range), last).orElse(Double.NaN) / budget * 100;
    double remaining =
        100
            - replay
                    .value(SloSeries.ratioOver(slo, slo.period().ruleWindow()), last)
                    .orElse(Double.NaN)
                / budget
                * 100;
    Map<PromDuration, List<double[]>> burns = new TreeMap<>();
    if (burnRates) {
      for (AlertTier tier : slo.alerting().enabledTiers()) {
        for (PromDuration window : List.of(tier.longWindow(), tier.shortWindow())) {
          if (!burns.containsKey(window)) {
            burns.put(
                window,
                everyMinute(
                    replay, "(" + SloSeries.ratioOver(slo, window) + ") / " + budget, first, last));
          }
        }
      }
    }
    return new Result(slo, first, last, consumed, remaining, written, alerts, burns);
  }

  /**
   * The minutes at which the history's store was scraping anything ({@code up} had a sample), or
   * null when it holds no {@code up} at all in the range (history that was remote-written, not
   * scraped: then nothing is masked).
   */
  private Set<Instant> scrapingMinutes(Instant first, Instant last) throws IOException {
    Set<Instant> minutes = new TreeSet<>();
    for (double[] p : everyMinute(source, "count(up)", first, last)) {
      minutes.add(Instant.ofEpochMilli(Math.round(p[0] * 1000)));
    }
    return minutes.isEmpty() ? null : minutes;
  }

  /**
   * An expression's values in a store at every minute from {@code first} to {@code last}, in chunks
   * (Prometheus refuses more than 11,000 points per series): {@code [epoch seconds, value]}, oldest
   * first, for a single-series expression (several series are concatenated).
   */
  private static List<double[]> everyMinute(
      PrometheusClient store, String expr, Instant first, Instant last) throws IOException {
    long minute = RecordedWindows.BASE.millis();
    List<double[]> out = new ArrayList<>();
    for (Instant chunk = first;
        !chunk.isAfter(last);
        chunk = chunk.plusMillis(Backfill.MAX_POINTS * minute)) {
      Instant chunkEnd = chunk.plusMillis((Backfill.MAX_POINTS - 1) * minute);
      chunkEnd = chunkEnd.isAfter(last) ? last : chunkEnd;
      for (PrometheusClient.RangeSeries series :
          store.range(expr, chunk, chunkEnd, minute / 1000.0)) {
        for (PrometheusClient.Point p : series.points()) {
          out.add(new double[] {p.epochSeconds(), p.value()});
        }
      }
    }
    return out;
  }

  /**
   * Replaces each recorded series of the SLO by the expression that records it, until only the
   * minute counts remain.
   */
  static String inline(String expr, Map<String, String> recorded) {
    List<String> names = new ArrayList<>(recorded.keySet());
    names.sort(Comparator.comparingInt(String::length).reversed());
    String out = expr;
    for (int pass = 0; pass < 10; pass++) {
      String before = out;
      for (String name : names) {
        out = out.replace(name, "(" + recorded.get(name) + ")");
      }
      if (out.equals(before)) {
        return out;
      }
    }
    return out;
  }

  /**
   * Prometheus' alert states over the minutes: an alert is pending from the first minute its
   * expression has a value, firing once that has held for {@code for} (at the first minute t with t
   * - activeAt >= for), and resolved at the first minute without a value.
   */
  static AlertResult replayFor(
      String alert,
      Map<String, String> labels,
      PromDuration forDuration,
      Set<Instant> active,
      Instant first,
      Instant last) {
    List<Notification> notifications = new ArrayList<>();
    Set<Instant> firing = new TreeSet<>();
    Instant activeAt = null;
    Instant firingSince = null;
    for (Instant t = first; !t.isAfter(last); t = t.plusMillis(RecordedWindows.BASE.millis())) {
      if (active.contains(t)) {
        if (activeAt == null) {
          activeAt = t;
        }
        if (t.toEpochMilli() - activeAt.toEpochMilli() >= forDuration.millis()) {
          if (firingSince == null) {
            firingSince = t;
          }
          firing.add(t);
        }
      } else {
        if (firingSince != null) {
          notifications.add(new Notification(activeAt, firingSince, t));
        }
        activeAt = null;
        firingSince = null;
      }
    }
    if (firingSince != null) {
      notifications.add(new Notification(activeAt, firingSince, null));
    }
    return new AlertResult(
        alert, Map.copyOf(labels), forDuration, List.copyOf(notifications), firing);
  }
}
