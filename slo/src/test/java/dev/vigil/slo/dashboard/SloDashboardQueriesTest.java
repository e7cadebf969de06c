package dev.vigil.slo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the committed catalog SLO dashboard shows for known traffic, evaluated by {@code promtool
 * test rules} over the committed generated rule file (the rules Prometheus runs). Two hours of
 * traffic at 1000 requests a minute, {@value #SERVER_ERRORS_PER_MINUTE} of them 5xx and {@value
 * #SLOW_PER_MINUTE} slower than 0.5 s:
 *
 * <ul>
 *   <li>availability: error ratio 0.002 against a 0.001 budget: burn rate 2 in every window, budget
 *       remaining 1 - 2 = -1 (overspent), SLI 99.8%; the ticket tier (factor 1) and the exhausted
 *       alert fire;
 *   <li>latency: 1% slow against a 5% budget: burn rate 0.2, 80% of the budget left, SLI 99%; no
 *       alert.
 *   <li>uptime: every probe succeeds: every minute up, burn rate 0, the whole budget left; no
 *       alert.
 * </ul>
 *
 * Each panel query is wrapped as {@code abs((query) - expected) < bool 1e-9} (promtool compares
 * samples exactly, and the rules' float arithmetic gives 0.19999999999999846 for 0.2); an empty
 * result fails too.
 */
class SloDashboardQueriesTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final int REQUESTS_PER_MINUTE = 1000;
  private static final int SERVER_ERRORS_PER_MINUTE = 2;
  private static final int SLOW_PER_MINUTE = 10;
  private static final int PAGE_LOADS_PER_MINUTE = 100;
  private static final int POOR_LCP_PER_MINUTE = 5;
  private static final Pattern SLO_LABEL = Pattern.compile("slo=\"([^\"]+)\"");

  @Test
  void everySloPanelShowsWhatTheKnownTrafficImplies(@TempDir Path work) throws Exception {
    Map<String, Slo> slos = new TreeMap<>();
    SpecReader.Result read = new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml")));
    assertThat(read.problems()).isEmpty();
    read.slos().forEach(s -> slos.put(s.name(), s));
    BigDecimal requests = BigDecimal.valueOf(REQUESTS_PER_MINUTE);
    Map<String, BigDecimal> errorRatio =
        Map.of(
            "availability",
            BigDecimal.valueOf(SERVER_ERRORS_PER_MINUTE).divide(requests),
            "latency",
            BigDecimal.valueOf(SLOW_PER_MINUTE).divide(requests),
            "uptime",
            BigDecimal.ZERO,
            "storefront-lcp",
            BigDecimal.valueOf(POOR_LCP_PER_MINUTE)
                .divide(BigDecimal.valueOf(PAGE_LOADS_PER_MINUTE)));
    Map<String, List<String>> firing =
        Map.of(
            "availability", List.of("SloBurnRateTicket", "SloErrorBudgetExhausted"),
            "latency", List.of(),
            "uptime", List.of(),
            "storefront-lcp", List.of());

    JsonNode dashboard =
        DashboardLint.read(ROOT.resolve("deploy/grafana/dashboards")).get("catalog-slo.json");
    List<Map<String, Object>> checks = new ArrayList<>();
    for (JsonNode panel : DashboardLint.panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        Matcher m = SLO_LABEL.matcher(expr);
        assertThat(m.find())
            .as("panel '%s' reads no SLO's series: %s", panel.path("title").asText(), expr)
            .isTrue();
        Slo slo = slos.get(m.group(1));
        BigDecimal ratio = errorRatio.get(slo.name());
        BigDecimal burnRate = ratio.divide(slo.errorBudget());
        String labels = "{service=\"catalog\",slo=\"" + slo.name() + "\"}";
        switch (panel.path("title").asText()) {
          case "Objective" -> checks.add(near(expr, slo.objectiveRatio(), labels));
          case "SLI over 30d" -> checks.add(near(expr, BigDecimal.ONE.subtract(ratio), labels));
          case "Error budget remaining", "Error budget remaining over time" ->
              checks.add(near(expr, BigDecimal.ONE.subtract(burnRate), labels));
          case "Burn rate" -> checks.add(near(expr, burnRate, labels));
          case "Alerts firing now" ->
              checks.add(
                  Map.of(
                      "expr",
                      "count by (alertname) (" + expr + ")",
                      "eval_time",
                      "120m",
                      "exp_samples",
                      firing.get(slo.name()).stream()
                          .map(a -> Map.of("labels", "{alertname=\"" + a + "\"}", "value", 1))
                          .toList()));
          default ->
              fail(
                  "no expectation for panel '%s': add one to this test",
                  panel.path("title").asText());
        }
      }
    }
    // Per SLO: objective, SLI, budget gauge, alerts; 7 recorded windows + the period average;
    // budget trend.
    assertThat(checks).hasSize(4 * (4 + 8 + 1));

    Path rules = ROOT.resolve("deploy/prometheus/rules/generated/catalog.yml");
    Map<String, Object> test =
        Map.of(
            "interval",
            "1m",
            "input_series",
            List.of(
                series(
                    "http_requests_total{service=\"catalog\",status=\"200\"}",
                    REQUESTS_PER_MINUTE - SERVER_ERRORS_PER_MINUTE),
                series(
                    "http_requests_total{service=\"catalog\",status=\"500\"}",
                    SERVER_ERRORS_PER_MINUTE),
                series(
                    "http_request_duration_seconds_count{service=\"catalog\"}",
                    REQUESTS_PER_MINUTE),
                series(
                    "http_request_duration_seconds_bucket{service=\"catalog\",le=\"0.5\"}",
                    REQUESTS_PER_MINUTE - SLOW_PER_MINUTE),
                series(
                    "rum_web_vital_count{service=\"catalog\",name=\"LCP\",page=\"products\"}",
                    PAGE_LOADS_PER_MINUTE),
                series(
                    "rum_web_vital_bucket{service=\"catalog\",name=\"LCP\",page=\"products\",le=\"2.5\"}",
                    PAGE_LOADS_PER_MINUTE - POOR_LCP_PER_MINUTE),
                Map.of(
                    "series",
                    "probe_success{job=\"blackbox-healthz\",service=\"catalog\"}",
                    "values",
                    "1x180")),
            "promql_expr_test",
            checks);
    Path file = work.resolve("slo-dashboard-test.yml");
    Files.writeString(
        file,
        new YAMLMapper()
            .writeValueAsString(
                Map.of(
                    "rule_files",
                    List.of(rules.toString()),
                    "evaluation_interval",
                    "1m",
                    "tests",
                    List.of(test))));
    PrometheusTool.Result promtool =
        PrometheusTool.PROMTOOL.run(work, "test", "rules", file.toString());
    assertThat(promtool.exitCode())
        .as("promtool test rules of the SLO dashboard's queries:%n%s", promtool.output())
        .isZero();
  }

  /** Two hours of a counter growing by {@code perMinute} each minute. */
  private static Map<String, Object> series(String name, int perMinute) {
    return Map.of("series", name, "values", "0+" + perMinute + "x120");
  }

  private static Map<String, Object> near(String expr, BigDecimal expected, String labels) {
    return Map.of(
        "expr",
        "abs((" + expr + ") - (" + expected.stripTrailingZeros().toPlainString() + ")) < bool 1e-9",
        "eval_time",
        "120m",
        "exp_samples",
        List.of(Map.of("labels", labels, "value", 1)));
  }
}
