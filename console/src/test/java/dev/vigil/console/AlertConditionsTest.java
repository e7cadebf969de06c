package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.AlertConditions.Condition;
import org.junit.jupiter.api.Test;

/** An alert's expression split into the conditions its graph charts. */
class AlertConditionsTest {

  /** The shape `vigil slo generate` writes: each burn rate summed from the minute counts. */
  @Test
  void aBurnRateAlertHasThreeConditionsEachWithItsThreshold() {
    String bad1h = "sum_over_time(slo:sli_bad:increase1m{slo=\"latency\"}[59m59s999ms])";
    String total1h = "sum_over_time(slo:sli_total:increase1m{slo=\"latency\"}[59m59s999ms])";
    String bad5m = "sum_over_time(slo:sli_bad:increase1m{slo=\"latency\"}[4m59s999ms])";
    String total5m = "sum_over_time(slo:sli_total:increase1m{slo=\"latency\"}[4m59s999ms])";
    String expr =
        "(\n  "
            + bad1h
            + "\n  /\n  "
            + total1h
            + "\n) / 0.05 > 14.4\nand\n(\n  "
            + bad5m
            + "\n  /\n  "
            + total5m
            + "\n) / 0.05 > 14.4\nand\n"
            + total1h
            + " >= 10\n";
    assertThat(AlertConditions.of(expr))
        .containsExactly(
            new Condition(
                "(\n  " + bad1h + "\n  /\n  " + total1h + "\n) / 0.05", ">", "14.4", 14.4),
            new Condition(
                "(\n  " + bad5m + "\n  /\n  " + total5m + "\n) / 0.05", ">", "14.4", 14.4),
            new Condition(total1h, ">=", "10", 10.0));
  }

  @Test
  void comparisonsInsideParenthesesVectorMatchingAndSeriesThresholdsAreKept() {
    assertThat(AlertConditions.of("db_connection_pool_active / (db_connection_pool_max > 0) > 0.8"))
        .containsExactly(
            new Condition(
                "db_connection_pool_active / (db_connection_pool_max > 0)", ">", "0.8", 0.8));
    assertThat(
            AlertConditions.of("ratio{a=\"x and y\"} < 0.8 and on (service, cache) lookups >= 10"))
        .containsExactly(
            new Condition("ratio{a=\"x and y\"}", "<", "0.8", 0.8),
            new Condition("lookups", ">=", "10", 10.0));
    assertThat(AlertConditions.of("rate(x[5m]) > 3 * avg_over_time(rate(x[5m])[1d:])"))
        .containsExactly(
            new Condition("rate(x[5m])", ">", "3 * avg_over_time(rate(x[5m])[1d:])", null));
    assertThat(AlertConditions.of("online_users == bool 0"))
        .containsExactly(new Condition("online_users", "==", "0", 0.0));
  }

  @Test
  void anExpressionWithoutComparisonIsChartedWhole() {
    assertThat(AlertConditions.of("vector(1)"))
        .containsExactly(new Condition("vector(1)", null, null, null));
    assertThat(AlertConditions.of("up == 0 or absent(up{job=\"catalog\"})"))
        .containsExactly(
            new Condition("up", "==", "0", 0.0),
            new Condition("absent(up{job=\"catalog\"})", null, null, null));
  }
}
