package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error budget arithmetic against the worked examples of the SRE Workbook and the seeds. */
class BudgetMathTest {

  private static final long DAY = 86_400;

  @Test
  void ninetyNinePointNineOverThirtyDaysAllows43Point2MinutesOfOutage() {
    BigDecimal budget = BudgetMath.errorBudget(new BigDecimal("99.9"));
    assertThat(budget.toPlainString()).isEqualTo("0.001");
    assertThat(BudgetMath.budgetMinutes(budget, 30 * DAY).toPlainString()).isEqualTo("43.2");
    assertThat(
            BudgetMath.budgetMinutes(BudgetMath.errorBudget(new BigDecimal("95")), 30 * DAY)
                .toPlainString())
        .isEqualTo("2160");
  }

  @Test
  void budgetsAreExactDecimalsWithoutFloatArtefacts() {
    assertThat(BudgetMath.errorBudget(new BigDecimal("99.99")).toPlainString()).isEqualTo("0.0001");
    assertThat(BudgetMath.errorBudget(new BigDecimal("99.95")).toPlainString()).isEqualTo("0.0005");
    assertThat(BudgetMath.objectiveRatio(new BigDecimal("99.9")).toPlainString())
        .isEqualTo("0.999");
  }

  @Test
  void workbookFactorsForThirtyDays() {
    Period period = Period.rolling(PromDuration.parse("30d"));
    assertThat(factors(period)).containsExactly("14.4", "6", "3", "1");
  }

  @Test
  void workbookFactorsForTwentyEightDaysRoundNonTerminatingQuotientsToFourDigits() {
    Period period = Period.rolling(PromDuration.parse("28d"));
    // 10% x 28d / 3d = 0.9333...: not a terminating decimal, so rounded half-even to 4 significant
    // digits.
    assertThat(factors(period)).containsExactly("13.44", "5.6", "2.8", "0.9333");
  }

  @Test
  void calendarMonthRulesUseThirtyDaysWhileTheReportUsesTheMonthsRealLength() {
    Period month = Period.calendar("month", java.time.ZoneId.of("Europe/Berlin"));
    assertThat(factors(month)).containsExactly("14.4", "6", "3", "1");
    java.time.Instant midFebruary = java.time.Instant.parse("2026-02-14T12:00:00Z");
    assertThat(month.start(midFebruary)).isEqualTo(java.time.Instant.parse("2026-01-31T23:00:00Z"));
    assertThat(month.length(midFebruary)).isEqualTo(java.time.Duration.ofDays(28));
  }

  @Test
  void policyStatesFollowTheErrorBudgetPolicy() {
    assertThat(ErrorBudgetPolicy.of(0.51)).isEqualTo(ErrorBudgetPolicy.HEALTHY);
    assertThat(ErrorBudgetPolicy.of(0.5)).isEqualTo(ErrorBudgetPolicy.LOW);
    assertThat(ErrorBudgetPolicy.of(0.1)).isEqualTo(ErrorBudgetPolicy.LOW);
    assertThat(ErrorBudgetPolicy.of(0.09)).isEqualTo(ErrorBudgetPolicy.EXHAUSTED);
    assertThat(ErrorBudgetPolicy.of(-3)).isEqualTo(ErrorBudgetPolicy.EXHAUSTED);
  }

  private static List<String> factors(Period period) {
    return AlertPolicy.WORKBOOK_TIERS.stream().map(t -> t.factor(period).toPlainString()).toList();
  }
}
