package dev.vigil.slo.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checks a dashboard must pass without a Grafana server (none is installed here): each returns
 * the problems it found, one readable line each, empty when the dashboards are sound. Used by
 * {@link DashboardLintTest} on the committed dashboards and on dashboards broken on purpose.
 */
final class DashboardLint {

  /** Values given to Grafana's variables so that a panel's query becomes plain PromQL. */
  static final Map<String, String> VARIABLES =
      Map.of("__rate_interval", "5m", "service", "catalog", "instance", ".*", "node", ".*");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
  private static final Pattern RECORDED_NAME =
      Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+");
  private static final Pattern SLO_SERIES =
      Pattern.compile("(slo:[a-zA-Z0-9_:]+)\\{service=\"([^\"]+)\",slo=\"([^\"]+)\"}");

  private DashboardLint() {}

  /**
   * @param dir a directory of dashboard JSON files
   * @return file name to parsed dashboard, sorted by name
   */
  static Map<String, JsonNode> read(Path dir) throws IOException {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.put(f.getFileName().toString(), new JsonMapper().readTree(f.toFile()));
      }
    }
    return out;
  }

  /**
   * @return every panel of a dashboard, rows' nested panels included
   */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  /**
   * Panel ids unique per dashboard, panels inside the 24 columns, no two panels sharing a grid
   * cell.
   */
  static List<String> layout(Map<String, JsonNode> dashboards) {
    List<String> problems = new ArrayList<>();
    dashboards.forEach(
        (file, d) -> {
          Map<Integer, String> ids = new HashMap<>();
          List<JsonNode> placed = new ArrayList<>();
          for (JsonNode p : panels(d)) {
            String title = p.path("title").asText();
            if (!p.path("id").isInt()) {
              problems.add(file + ": panel '" + title + "' has no integer id");
            } else if (ids.putIfAbsent(p.path("id").asInt(), title) != null) {
              problems.add(
                  file
                      + ": panels '"
                      + ids.get(p.path("id").asInt())
                      + "' and '"
                      + title
                      + "' share id "
                      + p.path("id"));
            }
            GridPos g = gridPos(p);
            if (g.x() < 0 || g.w() < 1 || g.h() < 1 || g.x() + g.w() > GridPos.COLUMNS) {
              problems.add(file + ": panel '" + title + "' lies outside the 24-column grid: " + g);
            }
            for (JsonNode other : placed) {
              if (overlap(gridPos(other), g)) {
                problems.add(
                    file
                        + ": panels '"
                        + other.path("title").asText()
                        + "' and '"
                        + title
                        + "' overlap at "
                        + g);
              }
            }
            placed.add(p);
          }
        });
    return problems;
  }

  /**
   * Every data source uid a dashboard names, in panels, queries, variables and Explore links, is
   * one the provisioning file defines.
   */
  static List<String> datasources(Map<String, JsonNode> dashboards, Path provisioningFile)
      throws IOException {
    Set<String> provisioned = new TreeSet<>();
    new YAMLMapper()
        .readTree(provisioningFile.toFile())
        .path("datasources")
        .forEach(d -> provisioned.add(d.path("uid").asText()));
    List<String> problems = new ArrayList<>();
    dashboards.forEach(
        (file, d) -> {
          Set<String> used = new TreeSet<>();
          d.findValues("datasource")
              .forEach(ds -> used.add(ds.isTextual() ? ds.asText() : ds.path("uid").asText()));
          for (String url : d.findValuesAsText("url")) {
            used.addAll(exploreDatasources(url));
          }
          used.stream()
              .filter(uid -> !provisioned.contains(uid))
              .forEach(
                  uid ->
                      problems.add(
                          file
                              + ": data source uid '"
                              + uid
                              + "' is not provisioned in "
                              + provisioningFile.getFileName()
                              + " (provisioned: "
                              + provisioned
                              + ")"));
        });
    return problems;
  }

  /** The data source uids of an Explore URL's panes, after Grafana has replaced the variables. */
  static Set<String> exploreDatasources(String url) {
    Set<String> uids = new TreeSet<>();
    int panes = url.indexOf("panes=");
    if (!url.startsWith("/explore?") || panes < 0) {
      return uids;
    }
    String json =
        URLDecoder.decode(url.substring(panes + "panes=".length()), StandardCharsets.UTF_8);
    try {
      JsonNode tree = new JsonMapper().readTree(json);
      tree.findValues("datasource")
          .forEach(ds -> uids.add(ds.isTextual() ? ds.asText() : ds.path("uid").asText()));
    } catch (IOException e) {
      uids.add("<unparseable Explore panes: " + json + ">");
    }
    return uids;
  }

  /**
   * Runs {@code promtool check rules} on every Prometheus query of the dashboards, each wrapped as
   * a recording rule named after its dashboard, panel and refId, Grafana variables replaced by
   * {@link #VARIABLES}.
   *
   * @param dashboards the dashboards by file name
   * @param workDir where the rule file of the queries is written
   * @return promtool's complaints, or the variables no value is known for
   * @throws IllegalStateException when promtool is not on PATH (the message says what to install)
   * @throws IOException when promtool cannot run or does not finish in {@link PrometheusTool}'s
   *     time
   */
  static List<String> promql(Map<String, JsonNode> dashboards, Path workDir) throws IOException {
    List<String> problems = new ArrayList<>();
    List<Map<String, Object>> groups = new ArrayList<>();
    dashboards.forEach(
        (file, d) -> {
          List<Map<String, Object>> rules = new ArrayList<>();
          for (JsonNode p : panels(d)) {
            for (JsonNode t : p.path("targets")) {
              if (!"prometheus".equals(t.path("datasource").path("type").asText())) {
                continue;
              }
              String name =
                  "lint:"
                      + file.replaceAll("\\W", "_")
                      + ":panel"
                      + p.path("id").asInt()
                      + "_"
                      + t.path("refId").asText();
              String expr;
              try {
                expr = substitute(t.path("expr").asText());
              } catch (IllegalArgumentException e) {
                problems.add(
                    file + ": panel '" + p.path("title").asText() + "': " + e.getMessage());
                continue;
              }
              rules.add(Map.of("record", name, "expr", expr));
            }
          }
          groups.add(Map.of("name", "lint-" + file, "rules", rules));
        });
    Path rulesFile = workDir.resolve("dashboard-queries.yml");
    Files.writeString(rulesFile, new YAMLMapper().writeValueAsString(Map.of("groups", groups)));
    PrometheusTool.Result checked =
        PrometheusTool.PROMTOOL.run(workDir, "check", "rules", rulesFile.toString());
    if (!checked.succeeded()) {
      problems.add(
          "promtool check rules rejects dashboard queries (rule names are lint:<file>:panel<id>_<refId>):\n"
              + checked.output());
    }
    return problems;
  }

  /**
   * Replaces Grafana's variables as Grafana would with the dashboards' defaults ({@link
   * #VARIABLES}).
   *
   * @param expr a panel query
   * @return plain PromQL
   * @throws IllegalArgumentException naming a variable without a known value
   */
  static String substitute(String expr) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = VARIABLES.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "uses variable $"
                + m.group(1)
                + " that the lint does not know: add a value to DashboardLint.VARIABLES");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /**
   * Every recorded series a dashboard reads (a name with a colon) is recorded by a rule file; an
   * SLO series read with {@code {service,slo}} must be recorded for that very SLO.
   *
   * @param ruleFiles the rule files Prometheus loads
   */
  static List<String> recordedSeries(Map<String, JsonNode> dashboards, List<Path> ruleFiles)
      throws IOException {
    Set<String> names = new TreeSet<>();
    Set<String> sloSeries = new TreeSet<>();
    for (Path f : ruleFiles) {
      for (JsonNode group : new YAMLMapper().readTree(f.toFile()).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.has("record")) {
            names.add(rule.path("record").asText());
            sloSeries.add(
                rule.path("record").asText()
                    + "{service=\""
                    + rule.path("labels").path("service").asText()
                    + "\",slo=\""
                    + rule.path("labels").path("slo").asText()
                    + "\"}");
          }
        }
      }
    }
    List<String> problems = new ArrayList<>();
    dashboards.forEach(
        (file, d) -> {
          for (JsonNode p : panels(d)) {
            for (JsonNode t : p.path("targets")) {
              String expr = t.path("expr").asText();
              Matcher recorded =
                  RECORDED_NAME.matcher(
                      expr.replaceAll("\\[[^]]*]", "").replaceAll("\"[^\"]*\"", "\"\""));
              while (recorded.find()) {
                if (!names.contains(recorded.group())) {
                  problems.add(
                      file
                          + ": panel '"
                          + p.path("title").asText()
                          + "' reads "
                          + recorded.group()
                          + ", which no rule file records");
                }
              }
              Matcher slo = SLO_SERIES.matcher(expr);
              while (slo.find()) {
                if (!sloSeries.contains(slo.group())) {
                  problems.add(
                      file
                          + ": panel '"
                          + p.path("title").asText()
                          + "' reads "
                          + slo.group()
                          + ", which the generated rules do not record for that SLO");
                }
              }
            }
          }
        });
    return problems;
  }

  /**
   * @return the YAML rule files directly under each directory
   */
  static List<Path> ruleFiles(Path... dirs) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(out::add);
      }
    }
    return out;
  }

  private static boolean overlap(GridPos a, GridPos b) {
    return a.x() < b.x() + b.w()
        && b.x() < a.x() + a.w()
        && a.y() < b.y() + b.h()
        && b.y() < a.y() + a.h();
  }

  private static GridPos gridPos(JsonNode p) {
    JsonNode g = p.path("gridPos");
    return new GridPos(
        g.path("h").asInt(0), g.path("w").asInt(0), g.path("x").asInt(-1), g.path("y").asInt(-1));
  }
}
