package dev.vigil.slo.report;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes each SLO's error budget from Prometheus: the SLI's own queries evaluated over exactly
 * the period so far (rolling: the last 30d; calendar: from the first midnight of the month/quarter
 * in its time zone), so the report is exact where the rules approximate calendar periods with a
 * rolling window. Ratios are event-weighted: bad events / all events over the range.
 */
public final class BudgetReport {

  /** Burn-rate windows shown in the report. */
  public static final List<PromDuration> BURN_WINDOWS =
      List.of(PromDuration.parse("1h"), PromDuration.parse("6h"), PromDuration.parse("3d"));

  /**
   * One SLO's budget.
   *
   * @param service the service
   * @param slo the SLO name
   * @param objectivePercent the objective in percent
   * @param period the period as written (e.g. {@code 30d}, {@code month (Europe/Berlin)})
   * @param periodStart start of the measured range
   * @param periodLength the whole period's length (30d; a calendar month's 28 to 31 days)
   * @param coverage how much of the period has SLI data: from the first minute with a total-events
   *     value to the report instant (zero without data); figures rest on this much history only
   * @param totalEvents events in the range
   * @param badEvents bad events in the range
   * @param sli good / total over the range (ratio 0..1), NaN without events
   * @param budgetEvents bad events the objective allows for the events so far
   * @param budgetMinutes minutes of full outage the budget allows over the whole period
   * @param consumedPercent share of the budget spent, percent (may exceed 100)
   * @param remainingPercent 100 - consumed, percent (may be negative)
   * @param burnRates burn rates over {@link #BURN_WINDOWS} (NaN without traffic)
   * @param state the error budget policy state
   * @param exhaustedAt when the remaining budget runs out at the 1h burn rate; null when it does
   *     not (no burn) or when it already has (remaining at or below 0): never a time in the past
   * @param noData why the SLI has no data over the period (state {@link ErrorBudgetPolicy#NO_DATA},
   *     consumed and remaining NaN), e.g. {@code no series matches
   *     probe_success{job="blackbox-healthz"} in the last 30d}; null when it has data
   */
  public record Row(
      String service,
      String slo,
      BigDecimal objectivePercent,
      String period,
      Instant periodStart,
      Duration periodLength,
      Duration coverage,
      double totalEvents,
      double badEvents,
      double sli,
      double budgetEvents,
      BigDecimal budgetMinutes,
      double consumedPercent,
      double remainingPercent,
      List<Double> burnRates,
      ErrorBudgetPolicy state,
      Instant exhaustedAt,
      String noData) {

    /**
     * @return true when the SLI has no data over the period ({@link ErrorBudgetPolicy#NO_DATA})
     */
    public boolean hasNoData() {
      return noData != null;
    }

    /**
     * @return true when the remaining budget is at or below 0
     */
    public boolean budgetSpent() {
      return remainingPercent <= 0;
    }

    /**
     * @param window one of {@link #BURN_WINDOWS} @return true when the data covers the whole window
     */
    public boolean covers(PromDuration window) {
      return coverage.compareTo(window.toDuration()) >= 0;
    }
  }

  private final PrometheusClient prometheus;

  /**
   * @param prometheus where the SLIs' series are
   */
  public BudgetReport(PrometheusClient prometheus) {
    this.prometheus = prometheus;
  }

  /**
   * @param slos the SLOs
   * @param at the instant the report is for (normally now)
   * @return one row per SLO, in input order
   * @throws IOException when Prometheus is unreachable or rejects a query
   */
  public List<Row> rows(List<Slo> slos, Instant at) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Slo slo : slos) {
      rows.add(row(slo, at));
    }
    return rows;
  }

  private Row row(Slo slo, Instant at) throws IOException {
    Instant start = slo.period().start(at);
    long seconds = Math.max(60, Duration.between(start, at).getSeconds());
    PromDuration range = PromDuration.ofSeconds(seconds);
    // The same query as the recorded slo:sli_error:ratio_period (Sli.errorRatioQuery): one budget
    // figure.
    OptionalDouble ratio = prometheus.value(slo.sli().errorRatioQuery(range), at);
    double total = value("(" + slo.sli().totalQuery(range) + ") * " + seconds, at);
    double bad = value("((" + slo.sli().badQuery(range) + ") or vector(0)) * " + seconds, at);
    double budget = slo.errorBudget().doubleValue();
    boolean hasData = ratio.isPresent() && total > 0;
    String noData = hasData ? null : noDataReason(slo, range, at);
    double sli = hasData ? 1 - ratio.getAsDouble() : Double.NaN;
    double budgetEvents = total * budget;
    double consumed = hasData ? ratio.getAsDouble() / budget * 100 : Double.NaN;
    double remaining = 100 - consumed;
    List<Double> burns = new ArrayList<>();
    for (PromDuration w : BURN_WINDOWS) {
      OptionalDouble r = prometheus.value(slo.sli().errorRatioQuery(w), at);
      burns.add(r.isPresent() ? r.getAsDouble() / budget : Double.NaN);
    }
    Duration length = slo.period().length(at);
    BigDecimal minutes = BudgetMath.budgetMinutes(slo.errorBudget(), length.getSeconds());
    double burnNow = burns.get(0);
    Instant exhaustedAt = null;
    if (remaining > 0 && burnNow > 0) {
      exhaustedAt = at.plusSeconds(Math.round(remaining / 100 * length.getSeconds() / burnNow));
    }
    return new Row(
        slo.service(),
        slo.name(),
        slo.objectivePercent(),
        slo.period().toString(),
        start,
        length,
        coverage(slo, range, at),
        total,
        bad,
        sli,
        budgetEvents,
        minutes,
        consumed,
        remaining,
        burns,
        hasData ? ErrorBudgetPolicy.of(remaining / 100) : ErrorBudgetPolicy.NO_DATA,
        exhaustedAt,
        noData);
  }

  /** A series selector directly before a range, e.g. {@code http_requests_total{a="b"}[30d]}. */
  private static final Pattern RANGE_SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?)\\[");

  /**
   * Why an SLO without data has none: the first series selector of its SLI that matches no series
   * over the range (a misnamed metric or label, a target never scraped), else "no events".
   */
  private String noDataReason(Slo slo, PromDuration range, Instant at) throws IOException {
    List<String> queries = new ArrayList<>();
    if (slo.sli() instanceof Sli.Timeslices t) {
      // the verdicts are recorded from the good query's series (the probe): name those first
      queries.add(t.verdictQuery());
    }
    queries.add(slo.sli().totalQuery(range));
    for (String query : queries) {
      Matcher m = RANGE_SELECTOR.matcher(query);
      while (m.find()) {
        String selector = m.group(1);
        if (prometheus
            .value("count(last_over_time(" + selector + "[" + range + "]))", at)
            .isEmpty()) {
          return "no series matches " + selector + " in the last " + range;
        }
      }
    }
    return "the SLI's series exist but counted no events in the last " + range;
  }

  /**
   * How much of the range has SLI data: from the first minute at which the total-events rate over
   * 5m had a value (a subquery at 1-minute steps) to {@code at}.
   */
  private Duration coverage(Slo slo, PromDuration range, Instant at) throws IOException {
    OptionalDouble first =
        prometheus.value(
            "min_over_time(timestamp("
                + slo.sli().totalQuery(PromDuration.ofMinutes(5))
                + ")["
                + range
                + ":1m])",
            at);
    if (first.isEmpty()) {
      return Duration.ZERO;
    }
    long since = Math.round(first.getAsDouble());
    return Duration.ofSeconds(Math.max(0, Math.min(range.seconds(), at.getEpochSecond() - since)));
  }

  private double value(String promql, Instant at) throws IOException {
    return prometheus.value(promql, at).orElse(0);
  }
}
