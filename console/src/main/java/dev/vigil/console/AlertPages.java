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
   * @return every alerting rule: {@code [{name, group, expr, for_seconds, labels, annotations,
   *     state, active, runbook, dashboard, slo_page}]}, firing first, then pending, then by name
   * @throws ProblemException 502 when Prometheus does not answer
   */
  List<Map<String, Object>> list() {
    List<PrometheusClient.AlertRule> rules;
    try {
      rules = prometheus.alertRules();
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (PrometheusClient.AlertRule rule : rules) {
      String name = rule.name();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("group", rule.group());
      m.put("expr", rule.query());
      m.put("for_seconds", rule.forSeconds());
      m.put("labels", rule.labels());
      m.put("annotations", rule.annotations());
      m.put("state", rule.state());
      m.put("active", rule.activeAlerts());
      m.put("runbook", NAME.matcher(name).matches() && Files.isRegularFile(runbook(name)));
      m.put("dashboard", dashboard(name, rule.labels()));
      out.add(m);
    }
    out.sort(
        (a, b) -> {
          int r = rank(a.get("state")) - rank(b.get("state"));
          return r != 0
              ? r
              : String.valueOf(a.get("name")).compareTo(String.valueOf(b.get("name")));
        });
    return out;
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
   * The alert's expression over the last {@code range}, one point per step.
   *
   * @param name the alert, as Prometheus has it loaded
   * @param range the range
   * @param points about how many points the chart shows
   * @return {@code {expr, start, end, step_seconds, series: [{name, points}]}}
   * @throws ProblemException 404 unknown alert, 502 Prometheus
   */
  Map<String, Object> graph(String name, PromDuration range, int points) {
    String expr = null;
    for (Map<String, Object> rule : list()) {
      if (rule.get("name").equals(name)) {
        expr = (String) rule.get("expr");
        break;
      }
    }
    if (expr == null) {
      throw ProblemException.notFound("Prometheus has no alerting rule " + name);
    }
    Instant end = Instant.now();
    double step = Math.max(1, Math.ceil(range.seconds() / (double) points));
    Instant start = end.minusSeconds((long) (Math.ceil(range.seconds() / step) * step));
    List<Map<String, Object>> series = new ArrayList<>();
    try {
      for (PrometheusClient.RangeSeries s : prometheus.range(expr, start, end, step)) {
        List<double[]> pts = new ArrayList<>();
        s.points().stream()
            .filter(p -> Double.isFinite(p.value()))
            .forEach(p -> pts.add(new double[] {p.epochSeconds(), p.value()}));
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("name", s.labels().toString());
        sm.put("points", pts);
        series.add(sm);
      }
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("expr", expr);
    body.put("start", start.toEpochMilli() / 1000.0);
    body.put("end", end.toEpochMilli() / 1000.0);
    body.put("step_seconds", step);
    body.put("series", series);
    return body;
  }

  private Path runbook(String name) {
    return runbooks.resolve(name + ".md");
  }
}
