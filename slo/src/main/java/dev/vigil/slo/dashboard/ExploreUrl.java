package dev.vigil.slo.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana Explore URLs (URL schema 1: {@code /explore?schemaVersion=1&panes=<json>}) opening a
 * query on another data source over the dashboard's time range. The pane JSON is percent-encoded
 * except the {@code ${variables}} in it, which Grafana replaces when the link is clicked.
 */
public final class ExploreUrl {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]+}");
  private static final Map<String, String> RANGE = Map.of("from", "${__from}", "to", "${__to}");

  private ExploreUrl() {}

  /**
   * @param logql a LogQL stream selector, may contain {@code ${variables}}, e.g. {@code
   *     {service="${service}"}}
   * @return an Explore URL running it on Loki
   */
  public static String loki(String logql) {
    return pane(
        DatasourceRef.LOKI, Map.of("refId", "A", "datasource", DatasourceRef.LOKI, "expr", logql));
  }

  /**
   * @param traceql a TraceQL query, may contain {@code ${variables}}
   * @return an Explore URL searching Tempo with it
   */
  public static String tempo(String traceql) {
    return pane(
        DatasourceRef.TEMPO,
        Map.of(
            "refId",
            "A",
            "datasource",
            DatasourceRef.TEMPO,
            "queryType",
            "traceql",
            "query",
            traceql,
            "limit",
            20));
  }

  private static String pane(DatasourceRef datasource, Map<String, Object> query) {
    String json =
        DashboardJson.compact(
            Map.of(
                "vigil",
                Map.of("datasource", datasource.uid(), "queries", List.of(query), "range", RANGE)));
    return "/explore?schemaVersion=1&orgId=1&panes=" + encodeKeepingVariables(json);
  }

  private static String encodeKeepingVariables(String text) {
    StringBuilder out = new StringBuilder();
    Matcher m = VARIABLE.matcher(text);
    int last = 0;
    while (m.find()) {
      out.append(encode(text.substring(last, m.start()))).append(m.group());
      last = m.end();
    }
    return out.append(encode(text.substring(last))).toString();
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
