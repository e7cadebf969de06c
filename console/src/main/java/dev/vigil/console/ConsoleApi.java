package dev.vigil.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.report.BudgetReport;
import dev.vigil.slo.report.BurnDown;
import dev.vigil.slo.report.ReportFormat;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The console's JSON endpoints, read-only, each a function of the request:
 *
 * <ul>
 *   <li>{@code GET /api/overview}: services (Prometheus scrape targets), SLOs sorted by remaining
 *       error budget (lowest first) with their policy state, kind ({@link #kind}) and the spec's
 *       labels, alerts pending and firing, latest notifications;
 *   <li>{@code GET /api/slos/{service}/{slo}}: one SLO's SLI, objective, budget (percent and
 *       minutes) and burn rates;
 *   <li>{@code GET /api/slos/{service}/{slo}/series?series=&range=&points=&end=}: one recorded
 *       series of the SLO over the {@code range} before {@code end} (default now) with about {@code
 *       points} samples (the step is range / points);
 *   <li>{@code GET /api/slos/{service}/{slo}/traffic?range=&points=&end=}: the SLO's events per
 *       second and its error ratio over a range (Pyrra's request and error graphs);
 *   <li>{@code GET /api/slos/{service}/{slo}/burndown?points=}: the budget remaining over the
 *       period.
 * </ul>
 *
 * <p>Budgets come from slo's {@link BudgetReport}, the same numbers as {@code vigil slo report}.
 * Prometheus unreachable: 502 problem+json naming it; unknown SLO: 404; bad parameter: 400.
 */
final class ConsoleApi {

  /** Notifications shown on the home page. */
  static final int NOTIFICATIONS_SHOWN = 20;

  /** Bounds of the {@code points} parameter: a chart is at most a few thousand pixels wide. */
  static final int MIN_POINTS = 10;

  static final int MAX_POINTS = 2000;

  /**
   * The recorded series a chart may show, by name: each maps an SLO to its PromQL selector. Values
   * are ratios 0..1 (budget remaining may drop below 0 when overspent).
   */
  static final Map<String, Function<Slo, String>> SERIES =
      Map.of(
          "error_ratio_5m", slo -> SloSeries.ERROR_RATIO + "5m" + SloSeries.matchers(slo),
          "error_ratio_1h", slo -> SloSeries.ERROR_RATIO + "1h" + SloSeries.matchers(slo),
          "error_ratio_6h", slo -> SloSeries.ERROR_RATIO + "6h" + SloSeries.matchers(slo),
          "budget_remaining", slo -> SloSeries.BUDGET_REMAINING + SloSeries.matchers(slo));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusClient prometheus;
  private final BudgetReport budgets;
  private final SloSpecs specs;
  private final NotificationFeed notifications;

  ConsoleApi(PrometheusClient prometheus, SloSpecs specs, NotificationFeed notifications) {
    this.prometheus = prometheus;
    this.budgets = new BudgetReport(prometheus);
    this.specs = specs;
    this.notifications = notifications;
  }

  /**
   * {@code GET /api/overview}. Prometheus is asked for targets, alerts and each SLO's budget at
   * once: the page waits for the slowest answer, not their sum.
   */
  void overview(Context ctx) throws IOException {
    Instant now = Instant.now();
    List<Slo> all = specs.all();
    List<ParallelCalls.Call<Object>> calls = new ArrayList<>();
    calls.add(prometheus::targets);
    calls.add(prometheus::alerts);
    for (Slo slo : all) {
      calls.add(() -> budgets.rows(List.of(slo), now).get(0));
    }
    List<Object> answers = askPrometheus(() -> ParallelCalls.all(calls));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", now.toString());
    body.put("services", answers.get(0));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      order.add(i);
    }
    // lowest remaining budget first; SLOs without data last
    order.sort(
        Comparator.comparingDouble(
            (Integer i) -> {
              BudgetReport.Row r = (BudgetReport.Row) answers.get(2 + i);
              return r.totalEvents() > 0 && !Double.isNaN(r.sli())
                  ? r.remainingPercent()
                  : Double.POSITIVE_INFINITY;
            }));
    List<Map<String, Object>> slos = new ArrayList<>();
    for (int i : order) {
      Map<String, Object> m = slo((BudgetReport.Row) answers.get(2 + i));
      // the SLO list's tags, which its filters choose by: what it measures and the spec's labels
      m.put("kind", kind(all.get(i)));
      m.put("labels", all.get(i).labels());
      slos.add(m);
    }
    body.put("slos", slos);
    @SuppressWarnings("unchecked")
    List<PrometheusClient.ActiveAlert> alerts =
        new ArrayList<>((List<PrometheusClient.ActiveAlert>) answers.get(1));
    alerts.sort(
        Comparator.comparing((PrometheusClient.ActiveAlert a) -> !a.firing())
            .thenComparing(PrometheusClient.ActiveAlert::name));
    body.put("alerts", alerts);
    body.put("notifications", notifications.latest(NOTIFICATIONS_SHOWN));
    json(ctx, body);
  }

  /**
   * {@code GET /api/slos/{service}/{slo}}. The budget, the window pairs' burn rates and the alerts
   * are asked for at once.
   */
  void slo(Context ctx) throws IOException {
    Slo slo = find(ctx);
    Instant now = Instant.now();
    List<ParallelCalls.Call<Object>> calls = new ArrayList<>();
    calls.add(() -> budgets.rows(List.of(slo), now).get(0));
    calls.add(prometheus::alerts);
    List<AlertTier> tiers = slo.alerting().enabledTiers();
    for (AlertTier tier : tiers) {
      calls.add(() -> prometheus.value(SloSeries.ratioOver(slo, tier.longWindow()), now));
      calls.add(() -> prometheus.value(SloSeries.ratioOver(slo, tier.shortWindow()), now));
    }
    List<Object> answers = askPrometheus(() -> ParallelCalls.all(calls));
    BudgetReport.Row row = (BudgetReport.Row) answers.get(0);
    Map<String, Object> body = slo(row);
    body.put("description", slo.description());
    @SuppressWarnings("unchecked")
    List<PrometheusClient.ActiveAlert> active = (List<PrometheusClient.ActiveAlert>) answers.get(1);
    double remaining =
        row.totalEvents() > 0 && !Double.isNaN(row.sli())
            ? row.remainingPercent() / 100
            : Double.NaN;
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      AlertTier tier = tiers.get(i);
      Map<String, Object> pair =
          windowPair(
              slo,
              tier,
              (OptionalDouble) answers.get(2 + 2 * i),
              (OptionalDouble) answers.get(3 + 2 * i));
      String alert = tier.pages() ? SloSeries.ALERT_PAGE : SloSeries.ALERT_TICKET;
      Map<String, String> windows =
          Map.of(
              "long_window", tier.longWindow().toString(),
              "short_window", tier.shortWindow().toString());
      pair.put("alert", alert);
      pair.put("for", tier.forDuration().toString());
      pair.put("alert_state", alertState(slo, alert, windows, active));
      pair.put(
          "alerts_page",
          alertsPage(
              alert
                  + "{service="
                  + slo.service()
                  + ",slo="
                  + slo.name()
                  + ",long_window="
                  + windows.get("long_window")
                  + ",short_window="
                  + windows.get("short_window")
                  + "}"));
      Object longBurn = pair.get("long_burn_rate");
      pair.put(
          "time_to_exhaustion_seconds",
          number(
              timeToExhaustion(
                  remaining,
                  slo.period().ruleWindow().seconds(),
                  longBurn == null ? Double.NaN : (Double) longBurn)));
      pairs.add(pair);
    }
    body.put("window_pairs", pairs);
    body.put("alerts", sloAlerts(slo, active));
    body.put("series", SERIES.keySet().stream().sorted().toList());
    json(ctx, body);
  }

  /** {@code GET /api/slos/{service}/{slo}/series}. */
  void series(Context ctx) throws IOException {
    Slo slo = find(ctx);
    String name = ctx.queryParamAsClass("series", String.class).getOrDefault("error_ratio_1h");
    Function<Slo, String> selector = SERIES.get(name);
    if (selector == null) {
      throw new ProblemException(
          Problem.of(
              400,
              "unknown series '"
                  + name
                  + "': use one of "
                  + String.join(", ", SERIES.keySet().stream().sorted().toList())));
    }
    PromDuration range = range(ctx);
    int points = points(ctx);
    Instant end = end(ctx);
    Instant start = end.minusMillis(range.millis());
    double step = Math.max(1, range.seconds() / (double) points);
    String query = selector.apply(slo);
    List<PrometheusClient.RangeSeries> result =
        askPrometheus(() -> prometheus.range(query, start, end, step));
    List<double[]> samples = new ArrayList<>();
    if (!result.isEmpty()) {
      for (PrometheusClient.Point p : result.get(0).points()) {
        if (Double.isFinite(p.value())) {
          samples.add(new double[] {p.epochSeconds(), p.value()});
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("series", name);
    body.put("query", query);
    body.put("start", start.toEpochMilli() / 1000.0);
    body.put("end", end.toEpochMilli() / 1000.0);
    body.put("step_seconds", step);
    body.put("points", samples);
    json(ctx, body);
  }

  /**
   * {@code GET /api/slos/{service}/{slo}/traffic?range=&points=&end=}: Pyrra's request and error
   * graphs, from the SLO's recorded minute counts ({@link SloSeries#TOTAL_EVENTS}, {@link
   * SloSeries#BAD_EVENTS}, which {@code vigil slo backfill} also writes for the history before the
   * rules): at each step t, events per second = total events in (t - step, t] / step, and error
   * ratio = bad events / total events in the same window. The step is a whole number of recorded
   * minutes (about range / points), so each point sums whole minutes; a step without recorded
   * events has no point. For a time-slice SLI the events are the slices judged, per minute.
   *
   * @return {@code {kind, events, bad_events, rate_unit, error_budget, start, end, step_seconds,
   *     queries: {requests, error_ratio}, requests: [[t, per second]], error_ratio: [[t, 0..1]]}}
   * @throws ProblemException 404 unknown SLO, 400 bad parameter, 502 Prometheus unreachable
   */
  void traffic(Context ctx) throws IOException {
    Slo slo = find(ctx);
    PromDuration range = range(ctx);
    int points = points(ctx);
    Instant end = end(ctx);
    long base = RecordedWindows.BASE.seconds();
    long step = Math.max(1, (long) Math.ceil(range.seconds() / (double) points / base)) * base;
    Instant start = end.minusSeconds(Math.max(1, range.seconds() / step) * step);
    PromDuration window = PromDuration.ofSeconds(step);
    boolean slices = slo.sli() instanceof Sli.Timeslices;
    // slices are judged once a minute: their rate reads per minute, requests per second
    long per = slices ? 60 : 1;
    String requests =
        SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, window)
            + " / "
            + step
            + (per > 1 ? " * " + per : "");
    String ratio = SloSeries.ratioOver(slo, window);
    List<PrometheusClient.RangeSeries> answers =
        askPrometheus(
                () ->
                    ParallelCalls.all(
                        List.<ParallelCalls.Call<List<PrometheusClient.RangeSeries>>>of(
                            () -> prometheus.range(requests, start, end, step),
                            () -> prometheus.range(ratio, start, end, step))))
            .stream()
            .map(series -> series.isEmpty() ? null : series.get(0))
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", kind(slo));
    body.put("events", slices ? "slices judged" : "requests");
    body.put(
        "bad_events",
        switch (slo.sli()) {
          case Sli.Events e -> "errors";
          case Sli.Latency l ->
              "slow requests (over " + l.thresholdSeconds().toPlainString() + " s)";
          case Sli.Timeslices t -> "bad slices";
        });
    body.put("rate_unit", slices ? "per minute" : "per second");
    body.put("error_budget", slo.errorBudget().doubleValue());
    body.put("start", start.toEpochMilli() / 1000.0);
    body.put("end", end.toEpochMilli() / 1000.0);
    body.put("step_seconds", step);
    body.put("queries", Map.of("requests", requests, "error_ratio", ratio));
    body.put("requests", finitePoints(answers.get(0)));
    body.put("error_ratio", finitePoints(answers.get(1)));
    json(ctx, body);
  }

  /**
   * What an SLO measures, from its SLI's form in the spec: {@code events} (bad or good events among
   * all, e.g. availability), {@code latency} (requests slower than a threshold) or {@code
   * timeslices} (minutes judged good or bad, e.g. uptime from probes).
   *
   * @param slo the SLO
   * @return events, latency or timeslices
   */
  static String kind(Slo slo) {
    return switch (slo.sli()) {
      case Sli.Events e -> "events";
      case Sli.Latency l -> "latency";
      case Sli.Timeslices t -> "timeslices";
    };
  }

  /** A range query's samples as {@code [[epoch seconds, value]]}, without NaN; none: empty. */
  private static List<double[]> finitePoints(PrometheusClient.RangeSeries series) {
    List<double[]> out = new ArrayList<>();
    if (series != null) {
      for (PrometheusClient.Point p : series.points()) {
        if (Double.isFinite(p.value())) {
          out.add(new double[] {p.epochSeconds(), p.value()});
        }
      }
    }
    return out;
  }

  /**
   * The {@code range} query parameter, a Prometheus duration (default 1h).
   *
   * @throws ProblemException 400 naming the bad value and examples
   */
  static PromDuration range(Context ctx) {
    String rangeText = ctx.queryParamAsClass("range", String.class).getOrDefault("1h");
    try {
      return PromDuration.parsePositive(rangeText);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.of(
              400,
              "range '"
                  + rangeText
                  + "' is not a Prometheus duration: "
                  + e.getMessage()
                  + " (e.g. 15m, 1h, 6h, 1d)"));
    }
  }

  /**
   * The {@code end} query parameter: the end of an absolute range in epoch seconds (a chart zoomed
   * or a shared link), default now.
   *
   * @throws ProblemException 400 when it is not a number of seconds since the epoch, or is more
   *     than a day ahead
   */
  static Instant end(Context ctx) {
    String text = ctx.queryParam("end");
    Instant now = Instant.now();
    if (text == null || text.isBlank()) {
      return now;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!Double.isFinite(seconds) || seconds < 0 || seconds > now.getEpochSecond() + 86400) {
      throw new ProblemException(
          Problem.of(
              400,
              "end '"
                  + text
                  + "' is not an instant in epoch seconds up to a day from now (e.g. "
                  + now.getEpochSecond()
                  + "); leave it out for now"));
    }
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }

  /**
   * The {@code points} query parameter: about how many samples the chart shows (its width / 2),
   * {@value #MIN_POINTS}..{@value #MAX_POINTS}, default 600.
   */
  static int points(Context ctx) {
    return ctx.queryParamAsClass("points", Integer.class)
        .check(
            p -> p == null || (p >= MIN_POINTS && p <= MAX_POINTS),
            "points must be between " + MIN_POINTS + " and " + MAX_POINTS)
        .getOrDefault(600);
  }

  /**
   * One enabled alert tier's window pair: the burn rate over its long and short windows against its
   * factor, and the state the pair is in: {@code critical} (both at or above the factor: the
   * alert's condition), {@code recovering} (long above, short below: the burn has stopped), {@code
   * increasing} (short above, long below: a burn is starting), {@code acceptable} (both below),
   * {@code no data} (no traffic in a window). Burn rate = error ratio over the window / error
   * budget (Google SRE workbook, ch. 5).
   *
   * @param slo the SLO
   * @param tier one of its enabled tiers
   * @param longRatio the error ratio over the tier's long window, empty without traffic
   * @param shortRatio the error ratio over its short window, empty without traffic
   * @return {@code {tier, severity, long_window, short_window, factor, long_burn_rate,
   *     short_burn_rate, state}}
   */
  static Map<String, Object> windowPair(
      Slo slo, AlertTier tier, OptionalDouble longRatio, OptionalDouble shortRatio) {
    double budget = slo.errorBudget().doubleValue();
    double factor = tier.factor(slo.period()).doubleValue();
    double longBurn = longRatio.isPresent() ? longRatio.getAsDouble() / budget : Double.NaN;
    double shortBurn = shortRatio.isPresent() ? shortRatio.getAsDouble() / budget : Double.NaN;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tier", tier.name());
    m.put("severity", tier.severity());
    m.put("long_window", tier.longWindow().toString());
    m.put("short_window", tier.shortWindow().toString());
    m.put("factor", factor);
    m.put("long_burn_rate", number(longBurn));
    m.put("short_burn_rate", number(shortBurn));
    m.put("state", pairState(longBurn, shortBurn, factor));
    return m;
  }

  /**
   * How long until the period's error budget is exhausted if the burn goes on at {@code burnRate}:
   * remaining budget (fraction of the period's budget) x period / burn rate. A burn rate of 1
   * spends the whole budget in exactly the period (Google SRE Workbook, ch. 5 "Alerting on SLOs"),
   * so a burn rate b spends a fraction f of it in f x period / b.
   *
   * @param remainingRatio the share of the period's budget not yet spent (1 = untouched; at or
   *     below 0: spent), NaN without data
   * @param periodSeconds the SLO's period (its rule window), in seconds
   * @param burnRate the current burn rate (error ratio / error budget), NaN without traffic
   * @return seconds; 0 when the budget is already spent, positive infinity when nothing burns, NaN
   *     without data or traffic
   */
  static double timeToExhaustion(double remainingRatio, double periodSeconds, double burnRate) {
    if (Double.isNaN(remainingRatio) || Double.isNaN(burnRate)) {
      return Double.NaN;
    }
    if (remainingRatio <= 0) {
      return 0;
    }
    return burnRate <= 0 ? Double.POSITIVE_INFINITY : remainingRatio * periodSeconds / burnRate;
  }

  /**
   * The state of one alert rule of an SLO now: {@code firing}, {@code pending} or {@code inactive}.
   *
   * @param slo the SLO
   * @param name the alert's name
   * @param labels further labels that tell the rule apart (e.g. its windows), may be empty
   * @param active the alerts Prometheus has pending or firing
   */
  private static String alertState(
      Slo slo, String name, Map<String, String> labels, List<PrometheusClient.ActiveAlert> active) {
    String state = "inactive";
    for (PrometheusClient.ActiveAlert a : active) {
      if (a.name().equals(name)
          && slo.service().equals(a.labels().get("service"))
          && slo.name().equals(a.labels().get("slo"))
          && labels.entrySet().stream()
              .allMatch(e -> e.getValue().equals(a.labels().get(e.getKey())))) {
        state = a.firing() || state.equals("firing") ? "firing" : "pending";
      }
    }
    return state;
  }

  /** The Alerts page at the rule a key such as {@code Name{service=a,slo=b}} picks. */
  private static String alertsPage(String key) {
    return "/alerts.html#"
        + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  /** The state of a window pair; see {@link #windowPair}. */
  static String pairState(double longBurn, double shortBurn, double factor) {
    if (Double.isNaN(longBurn) || Double.isNaN(shortBurn)) {
      return "no data";
    }
    boolean longHigh = longBurn >= factor;
    boolean shortHigh = shortBurn >= factor;
    if (longHigh && shortHigh) {
      return "critical";
    }
    if (longHigh) {
      return "recovering";
    }
    return shortHigh ? "increasing" : "acceptable";
  }

  /**
   * The SLO's generated alerts (page and ticket burn rates, budget exhausted, SLI absent) with
   * their state now: {@code firing}, {@code pending} or {@code inactive}.
   */
  private static List<Map<String, Object>> sloAlerts(
      Slo slo, List<PrometheusClient.ActiveAlert> active) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name :
        List.of(
            SloSeries.ALERT_PAGE,
            SloSeries.ALERT_TICKET,
            SloSeries.ALERT_EXHAUSTED,
            SloSeries.ALERT_ABSENT)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("state", alertState(slo, name, Map.of(), active));
      // the first of the alert's rules for this SLO (the alerts page picks by name and labels)
      m.put(
          "alerts_page",
          alertsPage(name + "{service=" + slo.service() + ",slo=" + slo.name() + "}"));
      out.add(m);
    }
    return out;
  }

  /**
   * {@code GET /api/slos/{service}/{slo}/burndown?points=}: the error budget remaining over the
   * current period, from its start (100%) to now: at each step, 1 - (bad events since the period's
   * start / (error budget x all events since the start)), summed from per-step increases of the
   * SLI's bad and total event queries. It restarts with each period (a calendar period at its first
   * instant, a rolling one at now - length). No events yet: no points.
   */
  void burndown(Context ctx) throws IOException {
    Slo slo = find(ctx);
    int points = points(ctx);
    Instant end = Instant.now();
    BurnDown.Series b = askPrometheus(() -> new BurnDown(prometheus).remaining(slo, end, points));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("period", slo.period().toString());
    body.put("period_start", b.periodStart().getEpochSecond());
    body.put("period_end", b.periodEnd().getEpochSecond());
    body.put("chart_start", b.chartStart().getEpochSecond());
    body.put("end", end.toEpochMilli() / 1000.0);
    body.put("step_seconds", b.stepSeconds());
    body.put("points", b.points());
    json(ctx, body);
  }

  private Slo find(Context ctx) {
    String service = ctx.pathParam("service");
    String name = ctx.pathParam("slo");
    return specs
        .find(service, name)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "no SLO '"
                        + name
                        + "' of service '"
                        + service
                        + "' in the console's specs: the home page lists the SLOs"));
  }

  private static Map<String, Object> slo(BudgetReport.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", r.service());
    m.put("slo", r.slo());
    m.put("objective_percent", r.objectivePercent());
    m.put("period", r.period());
    m.put("period_start", r.periodStart().toString());
    m.put("sli_percent", number(r.sli() * 100));
    m.put("total_events", r.totalEvents());
    m.put("bad_events", r.badEvents());
    m.put("budget_events", r.budgetEvents());
    boolean noData = !(r.totalEvents() > 0) || Double.isNaN(r.sli());
    m.put("consumed_percent", noData ? null : number(r.consumedPercent()));
    m.put("remaining_percent", noData ? null : number(r.remainingPercent()));
    // how much of the period the SLI's data covers: figures rest on this much history only
    m.put(
        "coverage_percent",
        number(100.0 * r.coverage().getSeconds() / Math.max(1, r.periodLength().getSeconds())));
    // the same as the CLI's report says it, e.g. "2h 5m of 30d"
    m.put("coverage", ReportFormat.coverage(r));
    m.put("budget_minutes", r.budgetMinutes());
    // minutes of full outage still allowed in this period: the period's budget minutes x the share
    // remaining
    m.put(
        "remaining_minutes",
        noData ? null : number(r.budgetMinutes().doubleValue() * r.remainingPercent() / 100));
    Map<String, Object> burns = new LinkedHashMap<>();
    for (int i = 0; i < BudgetReport.BURN_WINDOWS.size(); i++) {
      burns.put(BudgetReport.BURN_WINDOWS.get(i).toString(), number(r.burnRates().get(i)));
    }
    m.put("burn_rates", burns);
    // an SLO without events has no budget figure: "no data", never "healthy 100%"
    m.put("state", noData ? "no data" : r.state().label());
    m.put(
        "consequence",
        noData
            ? "no SLI data in the period: check that the SLI's series exist (SloSliAbsent)"
            : r.state().consequence());
    m.put("exhausted_at", r.exhaustedAt() == null ? null : r.exhaustedAt().toString());
    return m;
  }

  /** JSON has no NaN or infinities: they are written as null ("no data"). */
  private static Object number(double d) {
    return Double.isFinite(d) ? d : null;
  }

  static void json(Context ctx, Object body) throws IOException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
  }

  /** A call to Prometheus. */
  private interface PrometheusCall<T> {
    T call() throws IOException;
  }

  private static <T> T askPrometheus(PrometheusCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
  }

  static {
    // BigDecimal objective and budget minutes as plain numbers (99.9, 43.2), never 9.99E+1
    JSON.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  }
}
