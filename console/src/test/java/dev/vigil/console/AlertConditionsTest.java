package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.AlertConditions.Condition;
import org.junit.jupiter.api.Test;

/** An alert's expression split into the conditions its graph charts. */
class AlertConditionsTest {

  @Test
  void aBurnRateAlertHasThreeConditionsEachWithItsThreshold() {
    assertThat(
            AlertConditions.of(
                """
                slo:sli_error:ratio_rate1h{service="catalog",slo="latency"} / 0.05 > 14.4
                and
                slo:sli_error:ratio_rate5m{service="catalog",slo="latency"} / 0.05 > 14.4
                and
                slo:sli_total:rate1h{service="catalog",slo="latency"} * 3600 >= 10
                """))
        .containsExactly(
            new Condition(
                "slo:sli_error:ratio_rate1h{service=\"catalog\",slo=\"latency\"} / 0.05",
                ">",
                "14.4",
                14.4),
            new Condition(
                "slo:sli_error:ratio_rate5m{service=\"catalog\",slo=\"latency\"} / 0.05",
                ">",
                "14.4",
                14.4),
            new Condition(
                "slo:sli_total:rate1h{service=\"catalog\",slo=\"latency\"} * 3600",
                ">=",
                "10",
                10.0));
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
