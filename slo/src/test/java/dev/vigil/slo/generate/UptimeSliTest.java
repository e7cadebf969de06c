package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's probe-based uptime SLO (99.9% of minutes over 30d), evaluated by promtool on the
 * rules generated from slos/catalog.yaml, against blackbox probe histories scraped (and rules
 * evaluated) every 15 s. The truth in each test is counted by hand from the probe values: a verdict
 * is bad when fewer than 75% of the probes of the minute before it succeeded.
 */
class UptimeSliTest {

  private static final String PROBE =
      "probe_success{job=\"blackbox-healthz\",service=\"catalog\",instance=\"http://127.0.0.1:8000/healthz\"}";
  private static final String UPTIME = "{service=\"catalog\",slo=\"uptime\"}";

  @TempDir Path work;

  @Test
  void fullOutageOfTheServiceBurnsUptimeBudgetAndPagesWithinTwoMinutes() throws Exception {
    // Once: a request-based SLI counted nothing while the catalog was down, so a full outage burned
    // no
    // budget and no SLO alert reacted. 6h of successful probes, then the catalog stops answering at
    // 6h.
    Map<String, Object> test = test("1x1439 0x40");
    String firing =
        "ALERTS{alertname=\"" + SloSeries.ALERT_PAGE + "\",alertstate=\"firing\",slo=\"uptime\"}";
    List<Object> checks = new ArrayList<>();
    checks.add(Map.of("eval_time", "5h59m45s", "expr", firing, "exp_samples", List.of()));
    // 2% of a 99.9%/30d budget is 52 s down; the verdicts of 6h0m15s..6h1m (4 of the hour's 240)
    // are bad
    checks.add(
        Map.of(
            "eval_time",
            "6h2m",
            "expr",
            "count(" + firing + ")",
            "exp_samples",
            List.of(Map.of("labels", "{}", "value", 1))));
    // the budget burns: every verdict since the outage began is bad, 5 minutes of 6h5m is far above
    // 0.1%
    checks.add(
        Map.of(
            "eval_time",
            "6h5m",
            "expr",
            SloSeries.BUDGET_REMAINING + UPTIME + " < bool 0",
            "exp_samples",
            List.of(Map.of("labels", "{service=\"catalog\",slo=\"uptime\"}", "value", 1))));
    test.put("promql_expr_test", checks);
    promtool(test);
  }

  @Test
  void oneLostProbeIsNotDowntimeAndDoesNotPage() throws Exception {
    // probe 701 (at 2h55m15s) fails, every other succeeds: each minute still has 4 of 5 probes good
    Map<String, Object> test = test("1x700 0 1x738");
    List<Object> alerts = new ArrayList<>();
    for (String at : List.of("2h55m30s", "2h56m", "2h57m", "3h")) {
      alerts.add(
          Map.of("eval_time", at, "alertname", SloSeries.ALERT_PAGE, "exp_alerts", List.of()));
    }
    test.put("alert_rule_test", alerts);
    test.put(
        "promql_expr_test",
        List.of(
            Map.of(
                "eval_time",
                "3h",
                "expr",
                SloSeries.ERROR_RATIO + "1h" + UPTIME,
                "exp_samples",
                List.of(
                    Map.of(
                        "labels",
                        "slo:sli_error:ratio_rate1h{service=\"catalog\",slo=\"uptime\"}",
                        "value",
                        0)))));
    promtool(test);
  }

  private static Map<String, Object> test(String probeValues) {
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "15s");
    test.put("input_series", List.of(Map.of("series", PROBE, "values", probeValues)));
    return test;
  }

  private void promtool(Map<String, Object> test) throws Exception {
    List<Slo> uptime =
        AlertTimelineTest.catalog().stream().filter(s -> s.name().equals("uptime")).toList();
    assertThat(uptime).hasSize(1);
    PrometheusTool.Result result = PromtoolRuleTest.run(work, uptime, test, "15s");
    assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
  }
}
