package dev.vigil.slo.report;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An SLO's error budget burn-down over its current period, and its burn rates over time: the charts
 * of the console's SLO page and of {@code vigil slo report --format html}.
 *
 * <p>Burn-down: at each step t from the chart's start (the period's start, or later when the
 * recordings cover less of the period), remaining(t) = 1 - bad(period start..t) / (error budget x
 * total(period start..t)), the events summed per step from the SLO's recorded event counts ({@link
 * SloSeries#sumOver}: one range query, period / 1m samples in all, whatever the number of raw
 * series). It starts again with each period (a calendar period at its first instant, a rolling one
 * at at - length). Burn rate over window w at t = error ratio over [t - w, t] / error budget
 * (Google SRE workbook, "Alerting on SLOs").
 */
public final class BurnDown {

  /**
   * A chart's data.
   *
   * @param periodStart the period's first instant
   * @param periodEnd its end (for a rolling period: {@code at})
   * @param chartStart where the chart starts: the period's start, or later when the recordings
   *     cover less of the period
   * @param stepSeconds the distance between points
   * @param points {@code [epoch seconds, value]}, oldest first; empty without data
   */
  public record Series(
      Instant periodStart,
      Instant periodEnd,
      Instant chartStart,
      long stepSeconds,
      List<double[]> points) {}

  private final PrometheusClient prometheus;

  /**
   * @param prometheus where the SLI's series are
   */
  public BurnDown(PrometheusClient prometheus) {
    this.prometheus = prometheus;
  }

  /**
   * @param slo the SLO
   * @param at the end of the chart (normally now)
   * @param points about how many points (a step is a whole number of recorded minutes)
   * @return remaining budget ratio (1 = untouched, below 0 = overspent) at each step
   * @throws IOException when Prometheus does not answer
   */
  public Series remaining(Slo slo, Instant at, int points) throws IOException {
    Instant periodStart = slo.period().start(at);
    Instant chartStart = chartStart(slo, periodStart, at);
    // the events between the period's start and the chart's: counted once, so that every point
    // is still the budget remaining since the period's start
    double seedBad = 0;
    double seedTotal = 0;
    if (chartStart.isAfter(periodStart.plusSeconds(60))) {
      PromDuration before =
          PromDuration.ofSeconds(Duration.between(periodStart, chartStart).getSeconds());
      seedBad =
          prometheus
              .value(SloSeries.sumOver(SloSeries.BAD_EVENTS, slo, before), chartStart)
              .orElse(0);
      seedTotal =
          prometheus
              .value(SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, before), chartStart)
              .orElse(0);
    }
    long elapsed = Math.max(60, Duration.between(chartStart, at).getSeconds());
    long step = stepSeconds(elapsed, points);
    PromDuration window = PromDuration.ofSeconds(step);
    Instant start = at.minusSeconds((elapsed / step) * step);
    String events =
        "label_replace("
            + SloSeries.sumOver(SloSeries.BAD_EVENTS, slo, window)
            + ", \"events\", \"bad\", \"\", \"\")\nor label_replace("
            + SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, window)
            + ", \"events\", \"total\", \"\", \"\")";
    List<PrometheusClient.RangeSeries> bad = new ArrayList<>();
    List<PrometheusClient.RangeSeries> total = new ArrayList<>();
    for (PrometheusClient.RangeSeries series : prometheus.range(events, start, at, step)) {
      ("bad".equals(series.labels().get("events")) ? bad : total).add(series);
    }
    Map<Double, Double> badByTime = new HashMap<>();
    if (!bad.isEmpty()) {
      bad.get(0).points().forEach(p -> badByTime.put(p.epochSeconds(), p.value()));
    }
    double budget = slo.errorBudget().doubleValue();
    double cumBad = seedBad;
    double cumTotal = seedTotal;
    List<double[]> out = new ArrayList<>();
    if (!total.isEmpty()) {
      for (PrometheusClient.Point p : total.get(0).points()) {
        if (!Double.isFinite(p.value())) {
          continue;
        }
        cumTotal += p.value();
        double b = badByTime.getOrDefault(p.epochSeconds(), 0.0);
        cumBad += Double.isFinite(b) ? b : 0;
        if (cumTotal > 0) {
          out.add(new double[] {p.epochSeconds(), 1 - cumBad / (budget * cumTotal)});
        }
      }
    }
    return new Series(
        periodStart, periodStart.plus(slo.period().length(at)), chartStart, step, out);
  }

  /**
   * @param slo the SLO
   * @param window the burn-rate window, e.g. 1h
   * @param at the end of the chart
   * @param points about how many points over the current period
   * @return the burn rate at each step of the period (no point where the window had no traffic)
   * @throws IOException when Prometheus does not answer
   */
  public Series burnRate(Slo slo, PromDuration window, Instant at, int points) throws IOException {
    Instant periodStart = slo.period().start(at);
    Instant chartStart = chartStart(slo, periodStart, at);
    long elapsed = Math.max(60, Duration.between(chartStart, at).getSeconds());
    long step = stepSeconds(elapsed, points);
    Instant start = at.minusSeconds((elapsed / step) * step);
    double budget = slo.errorBudget().doubleValue();
    List<double[]> out = new ArrayList<>();
    List<PrometheusClient.RangeSeries> ratio =
        prometheus.range(SloSeries.ratioOver(slo, window), start, at, step);
    if (!ratio.isEmpty()) {
      for (PrometheusClient.Point p : ratio.get(0).points()) {
        if (Double.isFinite(p.value())) {
          out.add(new double[] {p.epochSeconds(), p.value() / budget});
        }
      }
    }
    return new Series(
        periodStart, periodStart.plus(slo.period().length(at)), chartStart, step, out);
  }

  /**
   * @return the distance between points in seconds: about elapsed / points, a whole number of
   *     {@link RecordedWindows#BASE} minutes so that each point sums whole recorded minutes
   */
  private static long stepSeconds(long elapsedSeconds, int points) {
    long base = RecordedWindows.BASE.seconds();
    long minutes = (long) Math.ceil(elapsedSeconds / (double) points / base);
    return Math.max(1, minutes) * base;
  }

  /**
   * Where a chart of the current period starts: the period's start, or, when the SLO's recordings
   * cover less of it, that much time before {@code at} (a young stack's chart spans its minutes of
   * data, not 30 days with one point). Coverage is the recorded minutes, one cheap count.
   */
  private Instant chartStart(Slo slo, Instant periodStart, Instant at) throws IOException {
    long elapsed = Math.max(60, Duration.between(periodStart, at).getSeconds());
    double minutes =
        prometheus
            .value(
                "count_over_time("
                    + SloSeries.TOTAL_EVENTS
                    + SloSeries.matchers(slo)
                    + "["
                    + RecordedWindows.range(PromDuration.ofSeconds(elapsed))
                    + "])",
                at)
            .orElse(0);
    long covered = (Math.round(minutes) + 1) * RecordedWindows.BASE.seconds();
    Instant start = at.minusSeconds(covered);
    return start.isAfter(periodStart) ? start : periodStart;
  }
}
