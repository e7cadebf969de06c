package dev.vigil.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.report.BudgetReport;
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
import java.util.function.Function;

/**
 * The console's JSON endpoints, read-only, each a function of the request:
 *
 * <ul>
 *   <li>{@code GET /api/overview}: services (Prometheus scrape targets), SLOs sorted by remaining
 *       error budget (lowest first) with their policy state, alerts pending and firing, latest
 *       notifications;
 *   <li>{@code GET /api/slos/{service}/{slo}}: one SLO's SLI, objective, budget (percent and
 *       minutes) and burn rates;
 *   <li>{@code GET /api/slos/{service}/{slo}/series?series=&range=&points=}: one recorded series of
 *       the SLO over the last {@code range} with about {@code points} samples (the step is range /
 *       points).
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

  /** {@code GET /api/overview}. */
  void overview(Context ctx) throws IOException {
    Instant now = Instant.now();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", now.toString());
    body.put("services", askPrometheus(prometheus::targets));
    List<BudgetReport.Row> rows =
        new ArrayList<>(askPrometheus(() -> budgets.rows(specs.all(), now)));
    rows.sort(Comparator.comparingDouble(BudgetReport.Row::remainingPercent));
    body.put("slos", rows.stream().map(ConsoleApi::slo).toList());
    List<PrometheusClient.ActiveAlert> alerts = new ArrayList<>(askPrometheus(prometheus::alerts));
    alerts.sort(
        Comparator.comparing((PrometheusClient.ActiveAlert a) -> !a.firing())
            .thenComparing(PrometheusClient.ActiveAlert::name));
    body.put("alerts", alerts);
    body.put("notifications", notifications.latest(NOTIFICATIONS_SHOWN));
    json(ctx, body);
  }

  /** {@code GET /api/slos/{service}/{slo}}. */
  void slo(Context ctx) throws IOException {
    Slo slo = find(ctx);
    BudgetReport.Row row = askPrometheus(() -> budgets.rows(List.of(slo), Instant.now())).get(0);
    Map<String, Object> body = slo(row);
    body.put("description", slo.description());
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
    Instant end = Instant.now();
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
   * The {@code points} query parameter: about how many samples the chart shows (its width / 2),
   * {@value #MIN_POINTS}..{@value #MAX_POINTS}, default 600.
   */
  static int points(Context ctx) {
    return ctx.queryParamAsClass("points", Integer.class)
        .check(
            p -> p >= MIN_POINTS && p <= MAX_POINTS,
            "points must be between " + MIN_POINTS + " and " + MAX_POINTS)
        .getOrDefault(600);
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
    m.put("consumed_percent", number(r.consumedPercent()));
    m.put("remaining_percent", number(r.remainingPercent()));
    m.put("budget_minutes", r.budgetMinutes());
    // minutes of full outage still allowed in this period: the period's budget minutes x the share
    // remaining
    m.put(
        "remaining_minutes", number(r.budgetMinutes().doubleValue() * r.remainingPercent() / 100));
    Map<String, Object> burns = new LinkedHashMap<>();
    for (int i = 0; i < BudgetReport.BURN_WINDOWS.size(); i++) {
      burns.put(BudgetReport.BURN_WINDOWS.get(i).toString(), number(r.burnRates().get(i)));
    }
    m.put("burn_rates", burns);
    m.put("state", r.state().label());
    m.put("consequence", r.state().consequence());
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
