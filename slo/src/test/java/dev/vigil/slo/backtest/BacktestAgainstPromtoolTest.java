package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.LocalPrometheus;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.generate.PromtoolRuleTest;
import dev.vigil.slo.generate.Scenario;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truth for {@code vigil slo backtest}: on the scenarios {@code vigil slo generate} writes promtool
 * tests for (a full outage, a recovery, a short blip, a 10x burn), the backtest's firing minutes
 * equal promtool's, minute for minute. The scenario's counters are imported into a real Prometheus
 * (the history), the backtest replays the catalog availability SLO over it in a replay Prometheus,
 * and promtool then evaluates the generated rules on the same counters and must find, at every
 * minute, exactly the alerts (by name and window) the backtest says were firing.
 */
class BacktestAgainstPromtoolTest {

  private static final List<String> SCENARIOS =
      List.of("full outage", "recovery resolves the page", "short blip clears", "10x burn");

  @TempDir Path work;

  @Test
  void firingMinutesEqualPromtoolsOnTheGeneratedScenarios() throws Exception {
    Slo slo = CatalogSlos.availability();
    List<Scenario> scenarios =
        Scenario.standard(slo).stream().filter(s -> SCENARIOS.contains(s.name())).toList();
    assertThat(scenarios).hasSize(SCENARIOS.size());
    int firingMinutes = 0;
    for (Scenario scenario : scenarios) {
      firingMinutes += check(slo, scenario, work.resolve("s" + SCENARIOS.indexOf(scenario.name())));
    }
    assertThat(firingMinutes).as("some minutes fired across the scenarios").isPositive();
  }

  /**
   * @return the minutes at which some alert fired
   */
  private int check(Slo slo, Scenario scenario, Path dir) throws Exception {
    Files.createDirectories(dir);
    int minutes = scenario.minutes();
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    Instant start = end.minus(minutes, ChronoUnit.MINUTES);
    BigDecimal[] bad = scenario.badPerMinute();
    List<String> good = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    BigDecimal goodSum = BigDecimal.ZERO;
    BigDecimal badSum = BigDecimal.ZERO;
    for (int m = 0; m <= minutes; m++) {
      if (m > 0) {
        badSum = badSum.add(bad[m]);
        goodSum = goodSum.add(Scenario.EVENTS_PER_MINUTE.subtract(bad[m]));
      }
      good.add(goodSum.toPlainString());
      failed.add(badSum.toPlainString());
    }
    StringBuilder om = new StringBuilder("# TYPE http_requests counter\n");
    for (int m = 0; m <= minutes; m++) {
      long t = start.getEpochSecond() + m * 60L;
      om.append("http_requests_total{service=\"catalog\",status=\"200\"} ")
          .append(good.get(m))
          .append(' ')
          .append(t)
          .append('\n');
      om.append("http_requests_total{service=\"catalog\",status=\"500\"} ")
          .append(failed.get(m))
          .append(' ')
          .append(t)
          .append('\n');
    }
    om.append("# EOF\n");
    Path history = Files.writeString(dir.resolve("history.om"), om.toString());
    LocalPrometheus.importOpenMetrics(history, dir.resolve("history"));
    Backtest.Result result;
    try (LocalPrometheus source =
            LocalPrometheus.start(dir.resolve("history"), List.of(), dir.resolve("source.log"));
        LocalPrometheus replay =
            LocalPrometheus.start(dir.resolve("replay"), List.of(), dir.resolve("replay.log"))) {
      result =
          new Backtest(source.client(), replay.client(), replay.writer())
              .run(slo, start, end, true);
    }
    assertBurnRatesAreTheScenariosOwn(slo, scenario, start, result);
    assertHtmlMarksEachNotification(scenario, result);

    // promtool: the same counters, the generated rules, and at each minute the backtest's firing
    // set
    List<Object> checks = new ArrayList<>();
    int firing = 0;
    for (int m = 0; m <= minutes; m++) {
      Instant at = start.plus(m, ChronoUnit.MINUTES);
      List<Object> expected = new ArrayList<>();
      for (Backtest.AlertResult alert : result.alerts()) {
        if (alert.firingMinutes().contains(at)) {
          Map<String, String> labels = new TreeMap<>();
          labels.put("alertname", alert.alert());
          if (alert.labels().containsKey("long_window")) {
            labels.put("long_window", alert.labels().get("long_window"));
          }
          expected.add(Map.of("labels", labels(labels), "value", 1));
        }
      }
      firing += expected.isEmpty() ? 0 : 1;
      checks.add(
          Map.of(
              "eval_time",
              m + "m",
              "expr",
              "count by (alertname, long_window) (ALERTS{alertstate=\"firing\",slo=\"availability\","
                  + "alertname!=\""
                  + SloSeries.ALERT_EXHAUSTED
                  + "\"})",
              "exp_samples",
              expected));
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put(
        "input_series",
        List.of(
            Map.of(
                "series",
                "http_requests_total{service=\"catalog\",status=\"200\"}",
                "values",
                String.join(" ", good)),
            Map.of(
                "series",
                "http_requests_total{service=\"catalog\",status=\"500\"}",
                "values",
                String.join(" ", failed))));
    test.put("promql_expr_test", checks);
    PrometheusTool.Result promtool = PromtoolRuleTest.run(dir, List.of(slo), test);
    assertThat(promtool.exitCode())
        .as(
            "%s: promtool disagrees with the backtest's firing minutes:%n%s",
            scenario.name(), promtool.output())
        .isZero();
    return firing;
  }

  /**
   * The burn rates the backtest charts, at every minute and for every window of the enabled tiers,
   * equal the scenario's own: the bad events of the window's minutes over all its events, over the
   * error budget, computed here from the scenario's per-minute counts.
   */
  private static void assertBurnRatesAreTheScenariosOwn(
      Slo slo, Scenario scenario, Instant start, Backtest.Result result) {
    BigDecimal[] bad = scenario.badPerMinute();
    double budget = slo.errorBudget().doubleValue();
    double perMinute = Scenario.EVENTS_PER_MINUTE.doubleValue();
    assertThat(result.burnRates()).isNotEmpty();
    result
        .burnRates()
        .forEach(
            (window, points) -> {
              int w = (int) (window.millis() / 60_000);
              assertThat(points)
                  .as("%s: minutes with a %s burn rate", scenario.name(), window)
                  .isNotEmpty();
              for (double[] p : points) {
                int m = (int) ((Math.round(p[0]) - start.getEpochSecond()) / 60);
                double badSum = 0;
                int counted = 0;
                for (int k = Math.max(1, m - w + 1); k <= m; k++) {
                  badSum += bad[k].doubleValue();
                  counted++;
                }
                double truth = badSum / (counted * perMinute) / budget;
                assertThat(p[1])
                    .as("%s: burn rate over %s at minute %d", scenario.name(), window, m)
                    .isCloseTo(truth, org.assertj.core.api.Assertions.within(1e-6 * (1 + truth)));
              }
            });
  }

  /** The HTML shades one band per notification of each tier and carries no script. */
  private static void assertHtmlMarksEachNotification(Scenario scenario, Backtest.Result result) {
    Incident incident = new Incident(scenario.name(), result.from(), result.to());
    String html = BacktestHtml.render(List.of(result), List.of(), List.of(incident), "test");
    int notifications =
        result.alerts().stream()
            .filter(a -> a.labels().containsKey("long_window"))
            .mapToInt(a -> a.notifications().size())
            .sum();
    assertThat(html.split("class=\"notification\"", -1).length - 1)
        .as("%s: shaded notifications", scenario.name())
        .isEqualTo(notifications);
    assertThat(html.split("class=\"incident\"", -1).length - 1)
        .as("one incident band per tier's chart")
        .isEqualTo(result.slo().alerting().enabledTiers().size());
    assertThat(html).doesNotContain("<script").contains("<svg");
  }

  private static String labels(Map<String, String> labels) {
    StringBuilder out = new StringBuilder("{");
    labels.forEach(
        (k, v) ->
            out.append(out.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
    return out.append('}').toString();
  }
}
