package dev.vigil.slo.report;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Computes each SLO's error budget from Prometheus: the SLO's recorded event counts ({@code
 * slo:sli_bad:increase1m}, {@code slo:sli_total:increase1m}) summed over exactly the period so far
 * (rolling: the last 30d; calendar: from the first midnight of the month/quarter in its time zone),
 * so the report is exact where the rules approximate calendar periods with a rolling window. Ratios
 * are event-weighted: bad events / all events over the range. One instant query per SLO, touching
 * period / 1m samples per figure whatever the number of raw series; history from before the rules
 * were loaded is there once {@code vigil slo backfill} wrote it.
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
   * @param coverage how much of the period has recorded SLI data: the minutes with a recorded
   *     total-events count (zero without data; a gap in rule evaluation or history not backfilled
   *     is not covered); figures rest on this much history only
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

  /** Queries in flight at once: Prometheus evaluates concurrent queries on all its cores. */
  static final int PARALLEL_QUERIES = 4;

  /**
   * @param slos the SLOs
   * @param at the instant the report is for (normally now)
   * @return one row per SLO, in input order; the rows' queries run {@link #PARALLEL_QUERIES} at a
   *     time
   * @throws IOException when Prometheus is unreachable or rejects a query
   */
  public List<Row> rows(List<Slo> slos, Instant at) throws IOException {
    if (slos.size() <= 1) {
      List<Row> rows = new ArrayList<>();
      for (Slo slo : slos) {
        rows.add(row(slo, at));
      }
      return rows;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_QUERIES, slos.size()));
    try {
      List<Future<Row>> futures = new ArrayList<>();
      for (Slo slo : slos) {
        futures.add(pool.submit(() -> row(slo, at)));
      }
      List<Row> rows = new ArrayList<>();
      for (Future<Row> f : futures) {
        rows.add(f.get());
      }
      return rows;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking Prometheus", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Row row(Slo slo, Instant at) throws IOException {
    Instant start = slo.period().start(at);
    long seconds = Math.max(60, Duration.between(start, at).getSeconds());
    PromDuration range = PromDuration.ofSeconds(seconds);
    Map<String, Double> figures = figures(slo, range, at);
    double total = figures.getOrDefault("total", 0.0);
    double bad = figures.getOrDefault("bad", 0.0);
    double recordedMinutes = figures.getOrDefault("minutes", 0.0);
    double budget = slo.errorBudget().doubleValue();
    boolean hasData = total > 0;
    String noData = hasData ? null : noDataReason(slo, range, recordedMinutes > 0, at);
    double ratio = hasData ? bad / total : Double.NaN;
    double sli = hasData ? 1 - ratio : Double.NaN;
    double budgetEvents = total * budget;
    double consumed = hasData ? ratio / budget * 100 : Double.NaN;
    double remaining = 100 - consumed;
    List<Double> burns = new ArrayList<>();
    for (PromDuration w : BURN_WINDOWS) {
      double windowTotal = figures.getOrDefault("total_" + w, 0.0);
      burns.add(
          windowTotal > 0
              ? figures.getOrDefault("bad_" + w, 0.0) / windowTotal / budget
              : Double.NaN);
    }
    Duration length = slo.period().length(at);
    BigDecimal minutes = BudgetMath.budgetMinutes(slo.errorBudget(), length.getSeconds());
    double burnNow = burns.get(0);
    Instant exhaustedAt = null;
    if (remaining > 0 && burnNow > 0) {
      exhaustedAt = at.plusSeconds(Math.round(remaining / 100 * length.getSeconds() / burnNow));
    }
    Duration coverage =
        Duration.ofSeconds(
            Math.min(seconds, Math.round(recordedMinutes) * RecordedWindows.BASE.seconds()));
    return new Row(
        slo.service(),
        slo.name(),
        slo.objectivePercent(),
        slo.period().toString(),
        start,
        length,
        coverage,
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

  /**
   * Every figure of one SLO's row in one instant query over its recorded event counts ({@link
   * SloSeries#sumOver}), never its raw series: {@code bad} and {@code total} events over the period
   * so far, {@code minutes} recorded in it (its coverage), and {@code bad_<w>} and {@code
   * total_<w>} over each of {@link #BURN_WINDOWS}. The period costs period / 1m samples per figure
   * (43,200 for 30d), whatever the service's cardinality.
   *
   * @return the figures present, by name; an absent one had no recording
   */
  private Map<String, Double> figures(Slo slo, PromDuration range, Instant at) throws IOException {
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("bad", SloSeries.sumOver(SloSeries.BAD_EVENTS, slo, range));
    queries.put("total", SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, range));
    queries.put(
        "minutes",
        "count_over_time("
            + SloSeries.TOTAL_EVENTS
            + SloSeries.matchers(slo)
            + "["
            + RecordedWindows.range(range)
            + "])");
    for (PromDuration w : BURN_WINDOWS) {
      queries.put("bad_" + w, SloSeries.sumOver(SloSeries.BAD_EVENTS, slo, w));
      queries.put("total_" + w, SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, w));
    }
    String promql =
        queries.entrySet().stream()
            .map(
                e ->
                    "label_replace("
                        + e.getValue()
                        + ", \"figure\", \""
                        + e.getKey()
                        + "\", \"\", \"\")")
            .collect(Collectors.joining("\nor "));
    Map<String, Double> out = new HashMap<>();
    for (PrometheusClient.Sample sample : prometheus.vector(promql, at)) {
      if (Double.isFinite(sample.value())) {
        out.put(sample.labels().get("figure"), sample.value());
      }
    }
    return out;
  }

  /** A series selector directly before a range, e.g. {@code http_requests_total{a="b"}[30d]}. */
  private static final Pattern RANGE_SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?)\\[");

  /**
   * Why an SLO without data has none: the first series selector of its SLI that matches no series
   * over the range (a misnamed metric or label, a target never scraped), else "no events".
   */
  private String noDataReason(Slo slo, PromDuration range, boolean recorded, Instant at)
      throws IOException {
    if (recorded) {
      return "the SLI's series exist but counted no events in the last " + range;
    }
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
    return "the SLO's rules recorded nothing in the last "
        + range
        + " although its SLI's series exist: load its generated rules (vigil slo generate) and"
        + " write its history with vigil slo backfill";
  }
}
