package dev.vigil.console;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.dashboard.DependenciesDashboard;
import dev.vigil.slo.dashboard.GoldenSignalsDashboard;
import dev.vigil.slo.dashboard.SaturationDashboard;
import dev.vigil.slo.dashboard.SloDashboard;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The alerts page's data: every alerting rule Prometheus has loaded (name, expression, {@code for},
 * labels, annotations, state), its runbook ({@code <runbooks>/<Alert>.md}) rendered to HTML with
 * raw HTML escaped, the dashboard it belongs to, and its expression's values over a range. The
 * request names an alert only; the expression and the runbook's path come from Prometheus and the
 * runbook directory, never from the request.
 */
final class AlertPages {

  /** An alert name as vigil writes them: letters and digits, e.g. {@code HighErrorRate}. */
  static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,100}");

  private static final List<org.commonmark.Extension> TABLES =
      List.of(org.commonmark.ext.gfm.tables.TablesExtension.create());
  private static final Parser MARKDOWN = Parser.builder().extensions(TABLES).build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().extensions(TABLES).escapeHtml(true).build();

  private final PrometheusClient prometheus;
  private final Path runbooks;
  private final String defaultService;

  /**
   * @param prometheus the Prometheus whose alerting rules are shown
   * @param runbooks the runbook directory, e.g. {@code docs/runbooks}
   * @param defaultService the service of alerts without a {@code service} label (the first in the
   *     specs)
   */
  AlertPages(PrometheusClient prometheus, Path runbooks, String defaultService) {
    this.prometheus = prometheus;
    this.runbooks = runbooks;
    this.defaultService = defaultService;
  }

  /**
   * The labels that tell apart the rules of one alert name (the SLO alerts: one rule per SLO and
   * window pair), in the order a rule's id names them.
   */
  static final List<String> KEY_LABELS = List.of("service", "slo", "long_window", "short_window");

  /**
   * @return every alerting rule: {@code [{id, name, group, expr, for_seconds, labels, annotations,
   *     state, active, alerts, runbook, dashboard, slo_page}]}, firing first, then pending, then by
   *     name and id. {@code id} is the name and the rule's {@link #KEY_LABELS} ({@code
   *     SloBurnRatePage{service=catalog,slo=latency,long_window=1h,short_window=5m}}); {@code
   *     alerts} the rule's pending and firing alerts {@code [{state, active_at, value, labels}]};
   *     {@code slo_page} the page of the SLO the rule watches, or null
   * @throws ProblemException 502 when Prometheus does not answer
   */
  List<Map<String, Object>> list() {
    List<PrometheusClient.AlertRule> rules;
    List<PrometheusClient.ActiveAlert> active;
    try {
      rules = prometheus.alertRules();
      active = prometheus.alerts();
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (PrometheusClient.AlertRule rule : rules) {
      String name = rule.name();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id(name, rule.labels()));
      m.put("name", name);
      m.put("group", rule.group());
      m.put("expr", rule.query());
      m.put("for_seconds", rule.forSeconds());
      m.put("labels", rule.labels());
      m.put("annotations", rule.annotations());
      m.put("state", rule.state());
      m.put("active", rule.activeAlerts());
      m.put("alerts", alertsOf(name, rule.labels(), active));
      m.put("runbook", NAME.matcher(name).matches() && Files.isRegularFile(runbook(name)));
      m.put("dashboard", dashboard(name, rule.labels()));
      String slo = rule.labels().get("slo");
      m.put(
          "slo_page",
          slo == null
              ? null
              : "/slo.html?service="
                  + encode(rule.labels().getOrDefault("service", defaultService))
                  + "&slo="
                  + encode(slo));
      out.add(m);
    }
    out.sort(
        (a, b) -> {
          int r = rank(a.get("state")) - rank(b.get("state"));
          return r != 0 ? r : String.valueOf(a.get("id")).compareTo(String.valueOf(b.get("id")));
        });
    return out;
  }

  /** A rule's id: its name and the values of its {@link #KEY_LABELS}. */
  static String id(String name, Map<String, String> labels) {
    List<String> keys = new ArrayList<>();
    for (String k : KEY_LABELS) {
      if (labels.containsKey(k)) {
        keys.add(k + "=" + labels.get(k));
      }
    }
    return keys.isEmpty() ? name : name + "{" + String.join(",", keys) + "}";
  }

  /** The pending and firing alerts of a rule: its name, and every label of the rule. */
  private static List<Map<String, Object>> alertsOf(
      String name, Map<String, String> ruleLabels, List<PrometheusClient.ActiveAlert> active) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PrometheusClient.ActiveAlert a : active) {
      if (a.name().equals(name)
          && ruleLabels.entrySet().stream()
              .allMatch(e -> e.getValue().equals(a.labels().get(e.getKey())))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", a.state());
        m.put("active_at", a.activeAt());
        m.put("value", a.value());
        m.put("labels", a.labels());
        out.add(m);
      }
    }
    return out;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int rank(Object state) {
    return switch (String.valueOf(state)) {
      case "firing" -> 0;
      case "pending" -> 1;
      default -> 2;
    };
  }

  /**
   * The uid of the dashboard an alert belongs to: the SLO dashboard for SLO alerts, dependencies
   * for the database, cache, queue and payment families, saturation for host alerts, else golden
   * signals.
   */
  private String dashboard(String name, Map<String, String> labels) {
    String service = labels.getOrDefault("service", defaultService);
    if (name.startsWith("Slo")) {
      return SloDashboard.uid(service);
    }
    return switch (labels.getOrDefault("family", "")) {
      case "database", "cache", "queue", "payments" -> DependenciesDashboard.uid(service);
      case "host" -> SaturationDashboard.uid(service);
      default -> GoldenSignalsDashboard.uid(service);
    };
  }

  /**
   * @param name the alert
   * @return the runbook as HTML (raw HTML in the Markdown escaped)
   * @throws ProblemException 400 for a name that is not an alert name, 404 when there is no runbook
   */
  String runbookHtml(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new ProblemException(
          Problem.of(400, "'" + name + "' is not an alert name (letters and digits)"));
    }
    Path file = runbook(name);
    try {
      return HTML.render(MARKDOWN.parse(Files.readString(file)));
    } catch (IOException e) {
      throw ProblemException.notFound(
          "no runbook for " + name + ": expected " + file + " (write one: docs/runbooks/)");
    }
  }

  /**
   * What an alert's graph shows over the {@code range} before {@code end}: for each condition of
   * its expression ({@link AlertConditions}), the left-hand side's series and the threshold (a
   * number, or the right-hand side's series), so an inactive alert's graph shows how far it is from
   * firing.
   *
   * @param name the alert, as Prometheus has it loaded
   * @param labels values of {@link #KEY_LABELS} that pick one of the alert's rules (the first rule
   *     of that name that has them all); others are ignored
   * @param range the range
   * @param end the end of the range
   * @param points about how many points the chart shows
   * @return {@code {id, expr, start, end, step_seconds, conditions: [{expr, op, threshold,
   *     threshold_expr, series: [{name, points}], threshold_series: [{name, points}]}]}}
   * @throws ProblemException 404 unknown alert, 502 Prometheus
   */
  Map<String, Object> graph(
      String name, Map<String, String> labels, PromDuration range, Instant end, int points) {
    Map<String, Object> rule = null;
    for (Map<String, Object> r : list()) {
      @SuppressWarnings("unchecked")
      Map<String, String> ruleLabels = (Map<String, String>) r.get("labels");
      if (r.get("name").equals(name)
          && KEY_LABELS.stream()
              .allMatch(k -> !labels.containsKey(k) || labels.get(k).equals(ruleLabels.get(k)))) {
        rule = r;
        break;
      }
    }
    if (rule == null) {
      throw ProblemException.notFound(
          "Prometheus has no alerting rule " + name + (labels.isEmpty() ? "" : " with " + labels));
    }
    String expr = (String) rule.get("expr");
    double step = Math.max(1, Math.ceil(range.seconds() / (double) points));
    Instant start = end.minusSeconds((long) (Math.ceil(range.seconds() / step) * step));
    List<Map<String, Object>> conditions = new ArrayList<>();
    try {
      for (AlertConditions.Condition c : AlertConditions.of(expr)) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("expr", c.lhs());
        cm.put("op", c.op());
        cm.put("threshold", c.threshold());
        cm.put("threshold_expr", c.rhs());
        cm.put("series", series(c.lhs(), start, end, step));
        cm.put(
            "threshold_series",
            c.rhs() != null && c.threshold() == null
                ? series(c.rhs(), start, end, step)
                : List.of());
        conditions.add(cm);
      }
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", rule.get("id"));
    body.put("expr", expr);
    body.put("start", start.toEpochMilli() / 1000.0);
    body.put("end", end.toEpochMilli() / 1000.0);
    body.put("step_seconds", step);
    body.put("conditions", conditions);
    return body;
  }

  /** A query's series over the range, named by their labels, non-finite samples left out. */
  private List<Map<String, Object>> series(String query, Instant start, Instant end, double step)
      throws IOException {
    List<Map<String, Object>> series = new ArrayList<>();
    for (PrometheusClient.RangeSeries s : prometheus.range(query, start, end, step)) {
      List<double[]> pts = new ArrayList<>();
      s.points().stream()
          .filter(p -> Double.isFinite(p.value()))
          .forEach(p -> pts.add(new double[] {p.epochSeconds(), p.value()}));
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("name", s.labels().isEmpty() ? query : s.labels().toString());
      sm.put("points", pts);
      series.add(sm);
    }
    return series;
  }

  private Path runbook(String name) {
    return runbooks.resolve(name + ".md");
  }
}
