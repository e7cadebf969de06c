package dev.vigil.console;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.dashboard.Dashboard;
import dev.vigil.slo.dashboard.Dashboards;
import dev.vigil.slo.dashboard.FieldConfig;
import dev.vigil.slo.dashboard.Panel;
import dev.vigil.slo.dashboard.Target;
import dev.vigil.slo.dashboard.Threshold;
import dev.vigil.slo.dashboard.Variable;
import dev.vigil.slo.model.Slo;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's renderer of the one dashboard model ({@link Dashboards}, which the Grafana JSON
 * under {@code deploy/grafana/dashboards} is also written from): the same dashboards, panels,
 * queries and variables, served as JSON for the console's dashboard page, and each panel's data for
 * a time range.
 *
 * <ul>
 *   <li>{@link #list()}: uid and title of every dashboard;
 *   <li>{@link #view(String)}: one dashboard's variables and panels (type, title, unit, range,
 *       thresholds, queries);
 *   <li>{@link #panelData}: one panel's series over a range, its variables substituted, with
 *       exemplars (trace ids) for queries that ask for them. One call per panel per refresh.
 * </ul>
 */
final class ConsoleDashboards {

  /**
   * The scrape interval the stack's Prometheus uses, for {@code $__rate_interval}: Grafana's
   * definition, max(step + scrape interval, 4 x scrape interval), so a rate always spans at least
   * four scrapes.
   */
  static final double SCRAPE_INTERVAL_SECONDS = 15;

  /** A variable value the console accepts: label-value characters only, never PromQL. */
  static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:/\\-]{1,200}");

  private final Map<String, Dashboard> byUid = new LinkedHashMap<>();
  private final PrometheusClient prometheus;

  /**
   * @param slos the SLOs the dashboards are built from
   * @param prometheus the Prometheus the panels query
   */
  ConsoleDashboards(List<Slo> slos, PrometheusClient prometheus) {
    Dashboards.of(slos).values().forEach(d -> byUid.put(d.uid(), d));
    this.prometheus = prometheus;
  }

  /**
   * @return {@code [{uid, title, tags}]} in model order
   */
  List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Dashboard d : byUid.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("uid", d.uid());
      m.put("title", d.title());
      m.put("tags", d.tags());
      out.add(m);
    }
    return out;
  }

  /**
   * The console rendering of one dashboard.
   *
   * @param uid the dashboard's uid, as in Grafana ({@code vigil-catalog-golden-signals})
   * @return {@code {uid, title, description, from, refresh, variables: [...], panels: [...]}}; each
   *     panel {@code {id, type, title, description, unit, min, max, decimals, no_value, thresholds:
   *     [{color, value}], targets: [{ref, expr, legend, instant, exemplar}]}}
   * @throws ProblemException 404 for an unknown uid
   */
  Map<String, Object> view(String uid) {
    Dashboard d = find(uid);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uid", d.uid());
    m.put("title", d.title());
    m.put("description", d.description());
    m.put("from", d.time().get("from"));
    m.put("refresh", d.refresh());
    List<Map<String, Object>> variables = new ArrayList<>();
    for (Variable v : d.templating().getOrDefault("list", List.of())) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("name", v.name());
      vm.put("label", v.label());
      vm.put("query", v.query());
      vm.put("include_all", v.includeAll());
      vm.put("default", v.includeAll() ? "All" : String.valueOf(v.current().get("value")));
      variables.add(vm);
    }
    m.put("variables", variables);
    List<Map<String, Object>> panels = new ArrayList<>();
    for (Panel p : d.panels()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("id", p.id());
      pm.put("type", p.type());
      pm.put("title", p.title());
      pm.put("description", p.description());
      pm.put("width", p.gridPos() == null ? 24 : p.gridPos().w());
      if (p.fieldConfig() != null) {
        FieldConfig.Defaults f = p.fieldConfig().defaults();
        pm.put("unit", f.unit());
        pm.put("min", f.min());
        pm.put("max", f.max());
        pm.put("decimals", f.decimals());
        pm.put("no_value", f.noValue());
        List<Map<String, Object>> steps = new ArrayList<>();
        if (f.thresholds() != null) {
          for (Threshold t : f.thresholds().steps()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("color", t.color());
            tm.put("value", t.value());
            steps.add(tm);
          }
        }
        pm.put("thresholds", steps);
      }
      List<Map<String, Object>> targets = new ArrayList<>();
      for (Target t : p.targets() == null ? List.<Target>of() : p.targets()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("ref", t.refId());
        tm.put("expr", t.expr());
        tm.put("legend", t.legendFormat());
        tm.put("instant", t.instant());
        tm.put("exemplar", t.exemplar());
        targets.add(tm);
      }
      pm.put("targets", targets);
      panels.add(pm);
    }
    m.put("panels", panels);
    return m;
  }

  /**
   * The values of a dashboard variable, from its {@code label_values(selector, label)} query with
   * the other variables substituted.
   *
   * @param uid dashboard uid
   * @param name variable name
   * @param values the other variables' current values
   * @return the label values, sorted by Prometheus
   * @throws ProblemException 404 for an unknown dashboard or variable, 400 for a bad value, 502
   *     when Prometheus does not answer
   */
  List<String> variableValues(String uid, String name, Map<String, List<String>> values) {
    Dashboard d = find(uid);
    Variable v =
        d.templating().getOrDefault("list", List.of()).stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(
                () -> ProblemException.notFound("dashboard " + uid + " has no variable " + name));
    var m = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(v.query());
    if (!m.matches()) {
      throw new ProblemException(Problem.of(500, "variable " + name + " is not label_values()"));
    }
    String selector = expand(m.group(1), d, values, 60);
    try {
      return prometheus.labelValues(m.group(2), selector);
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
  }

  /**
   * One panel's data: each query evaluated over {@code [end - range, end]} with a step of {@code
   * range / points} seconds (at least 1 s), instant queries at {@code end} only.
   *
   * @param uid dashboard uid
   * @param panelId panel id within it
   * @param range the time range, a Prometheus duration
   * @param points about how many samples the chart can show (its width in pixels / 2)
   * @param values the variables' values ({@code All} or missing: every value)
   * @return {@code {step_seconds, start, end, series: [{ref, name, labels, points: [[t, v]]}],
   *     exemplars: [{t, v, trace_id, labels}], queries: [{ref, expr, instant, start, end,
   *     step_seconds}]}}, queries being the PromQL sent to Prometheus (variables substituted) with
   *     the range query's parameters (an instant query: start = end, step 1), for the panel's
   *     inspect view
   * @throws ProblemException 404 unknown dashboard or panel, 400 bad value, 502 Prometheus
   */
  Map<String, Object> panelData(
      String uid, int panelId, PromDuration range, int points, Map<String, List<String>> values) {
    return panelData(uid, panelId, range, Instant.now(), points, values);
  }

  /**
   * One panel's data over the {@code range} before {@code end}; see {@link #panelData(String, int,
   * PromDuration, int, Map)}.
   *
   * @param uid dashboard uid
   * @param panelId panel id within it
   * @param range the time range, a Prometheus duration
   * @param end the end of the range (now, or an absolute range's end)
   * @param points about how many samples the chart can show
   * @param values the variables' values
   * @return as {@link #panelData(String, int, PromDuration, int, Map)}
   * @throws ProblemException 404 unknown dashboard or panel, 400 bad value, 502 Prometheus
   */
  Map<String, Object> panelData(
      String uid,
      int panelId,
      PromDuration range,
      Instant end,
      int points,
      Map<String, List<String>> values) {
    Dashboard d = find(uid);
    Panel panel =
        d.panels().stream()
            .filter(p -> p.id() != null && p.id() == panelId && p.targets() != null)
            .findFirst()
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "dashboard " + uid + " has no panel with queries and id " + panelId));
    double step = Math.max(1, Math.ceil(range.seconds() / (double) points));
    // a whole number of steps back from now, so the last point is now: with a wide step the newest
    // samples would otherwise fall between the last step and now and not show
    Instant start = end.minusSeconds((long) (Math.ceil(range.seconds() / step) * step));
    // the panel's queries (and their exemplars) at once: the panel waits for the slowest only
    List<ParallelCalls.Call<PanelPart>> calls = new ArrayList<>();
    List<Map<String, Object>> sent = new ArrayList<>();
    for (Target t : panel.targets()) {
      String query = expand(t.expr(), d, values, step);
      Map<String, Object> qm = new LinkedHashMap<>();
      qm.put("ref", t.refId());
      qm.put("expr", query);
      qm.put("instant", t.instant());
      qm.put("start", (t.instant() ? end : start).toEpochMilli() / 1000.0);
      qm.put("end", end.toEpochMilli() / 1000.0);
      qm.put("step_seconds", t.instant() ? 1 : step);
      sent.add(qm);
      calls.add(
          () -> {
            List<PrometheusClient.RangeSeries> result =
                t.instant()
                    ? prometheus.range(query, end, end, 1)
                    : prometheus.range(query, start, end, step);
            List<Map<String, Object>> out = new ArrayList<>();
            for (PrometheusClient.RangeSeries s : result) {
              Map<String, Object> sm = new LinkedHashMap<>();
              sm.put("ref", t.refId());
              sm.put("name", legend(t.legendFormat(), s.labels()));
              sm.put("labels", s.labels());
              List<double[]> pts = new ArrayList<>();
              for (PrometheusClient.Point p : s.points()) {
                if (Double.isFinite(p.value())) {
                  pts.add(new double[] {p.epochSeconds(), p.value()});
                }
              }
              sm.put("points", pts);
              out.add(sm);
            }
            return new PanelPart(out, List.of());
          });
      if (t.exemplar() && !t.instant()) {
        calls.add(() -> new PanelPart(List.of(), exemplars(query, start, end)));
      }
    }
    List<PanelPart> answers;
    try {
      answers = ParallelCalls.all(calls);
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
    List<Map<String, Object>> series = new ArrayList<>();
    List<Map<String, Object>> exemplars = new ArrayList<>();
    for (PanelPart part : answers) {
      series.addAll(part.series());
      exemplars.addAll(part.exemplars());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("step_seconds", step);
    body.put("start", start.toEpochMilli() / 1000.0);
    body.put("end", end.toEpochMilli() / 1000.0);
    body.put("series", series);
    body.put("exemplars", exemplars);
    body.put("queries", sent);
    return body;
  }

  /**
   * Substitutes a dashboard's variables in a query: {@code $name} by the chosen values (several
   * joined as a regex alternation), {@code All} or missing by the variable's all-value ({@code .*})
   * or its default, and {@code $__rate_interval} by max(step + scrape interval, 4 x scrape
   * interval) in whole seconds (Grafana's definition).
   *
   * @param expr PromQL with {@code $variables}
   * @param d the dashboard whose variables apply
   * @param values chosen values by variable name
   * @param stepSeconds the query's step
   * @return PromQL without variables
   * @throws ProblemException 400 when a value is not a plain label value ({@link #VALUE})
   */
  static String expand(
      String expr, Dashboard d, Map<String, List<String>> values, double stepSeconds) {
    long rate =
        (long)
            Math.ceil(Math.max(stepSeconds + SCRAPE_INTERVAL_SECONDS, 4 * SCRAPE_INTERVAL_SECONDS));
    String out = expr.replace("$__rate_interval", rate + "s");
    for (Variable v : d.templating().getOrDefault("list", List.of())) {
      List<String> chosen = values.getOrDefault(v.name(), List.of());
      String text;
      if (chosen.isEmpty() || chosen.contains("All")) {
        text = v.includeAll() ? v.allValue() : String.valueOf(v.current().get("value"));
      } else {
        for (String c : chosen) {
          if (!VALUE.matcher(c).matches()) {
            throw new ProblemException(
                Problem.of(
                    400,
                    "variable "
                        + v.name()
                        + " has the value '"
                        + c
                        + "': a label value has only letters, digits and _ . : / - (pick one from"
                        + " the variable's list)"));
          }
        }
        text =
            v.includeAll() || chosen.size() > 1
                ? String.join("|", chosen.stream().map(ConsoleDashboards::regexLiteral).toList())
                : chosen.get(0);
      }
      out = out.replace("${" + v.name() + "}", text).replace("$" + v.name(), text);
    }
    return out;
  }

  private static String regexLiteral(String value) {
    // dots are the only regex metacharacter VALUE admits; escaped for PromQL's string and RE2
    return value.replace(".", "\\\\.");
  }

  /** Grafana's legend template: {@code {{label}}} by the series' label value. */
  static String legend(String format, Map<String, String> labels) {
    if (format == null || format.isBlank()) {
      return labels.toString();
    }
    String out = format;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      out = out.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    return out.replaceAll("\\{\\{\\w+}}", "").trim();
  }

  /** What one of a panel's calls contributes: series (a query) or exemplars (its exemplars). */
  private record PanelPart(List<Map<String, Object>> series, List<Map<String, Object>> exemplars) {}

  /**
   * The exemplars of a query's series in the range that carry a trace id, as the chart draws them.
   * Exemplars are an extra: when Prometheus cannot give them (e.g. an older Prometheus without the
   * exemplar API), the panel is drawn without.
   */
  private List<Map<String, Object>> exemplars(String query, Instant start, Instant end) {
    List<PrometheusClient.Exemplar> found;
    try {
      found = prometheus.exemplars(query, start, end);
    } catch (IOException e) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (PrometheusClient.Exemplar e : found) {
      if (e.traceId().isEmpty() || !Double.isFinite(e.value())) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t", e.epochSeconds());
      m.put("v", e.value());
      m.put("trace_id", e.traceId().get());
      m.put("labels", e.seriesLabels());
      out.add(m);
    }
    return out;
  }

  private Dashboard find(String uid) {
    Dashboard d = byUid.get(uid);
    if (d == null) {
      throw ProblemException.notFound(
          "no dashboard '" + uid + "': /api/dashboards lists them (" + byUid.keySet() + ")");
    }
    return d;
  }
}
