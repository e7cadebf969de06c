package dev.vigil.slo.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The error budget arithmetic, in exact decimals ({@link BigDecimal}), so that generated rules read
 * {@code 0.001} and {@code 14.4}, never {@code 0.0009999999999999432}.
 *
 * <p>Rounding rule: a quotient is exact when its decimal expansion terminates (14.4, 13.44, 5.6);
 * otherwise it is rounded half-even to {@value #SIGNIFICANT_DIGITS} significant digits (28d, 10% in
 * 3d: 0.9333...; becomes 0.9333). Every threshold in a rule is computed from the rounded factor, so
 * the factor printed in an annotation and the threshold in the expression always agree.
 */
public final class BudgetMath {

  /** Significant digits kept for non-terminating quotients. */
  public static final int SIGNIFICANT_DIGITS = 4;

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final MathContext ROUNDED =
      new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);

  private BudgetMath() {}

  /**
   * The error budget as a ratio: {@code 1 - objective/100}.
   *
   * @param objectivePercent the objective in percent, e.g. {@code 99.9}
   * @return the budget ratio 0..1, e.g. {@code 0.001}
   */
  public static BigDecimal errorBudget(BigDecimal objectivePercent) {
    return plain(HUNDRED.subtract(objectivePercent).divide(HUNDRED));
  }

  /**
   * The objective as a ratio 0..1.
   *
   * @param objectivePercent e.g. {@code 99.9}
   * @return e.g. {@code 0.999}
   */
  public static BigDecimal objectiveRatio(BigDecimal objectivePercent) {
    return plain(objectivePercent.divide(HUNDRED));
  }

  /**
   * Minutes of full outage the budget allows: {@code budget x period}. 99.9% over 30d = 43.2
   * minutes.
   *
   * @param budgetRatio the error budget 0..1
   * @param periodSeconds the period in seconds
   * @return minutes, exact or rounded by the rule above
   */
  public static BigDecimal budgetMinutes(BigDecimal budgetRatio, long periodSeconds) {
    return quotient(
        budgetRatio.multiply(BigDecimal.valueOf(periodSeconds)), BigDecimal.valueOf(60));
  }

  /**
   * The burn-rate factor of an alert tier: budget fraction consumed x period / long window (Google
   * SRE Workbook, chapter "Alerting on SLOs", table 5-8). 2% in 1h over 30d = 14.4; 10% in 3d over
   * 28d = 0.9333.
   *
   * @param budgetPercent the share of the budget consumed in the long window, in percent (e.g. 2)
   * @param periodSeconds the SLO period in seconds
   * @param longWindowSeconds the alert's long window in seconds
   * @return the factor, exact or rounded by the rule above
   */
  public static BigDecimal burnRateFactor(
      BigDecimal budgetPercent, long periodSeconds, long longWindowSeconds) {
    BigDecimal numerator = budgetPercent.multiply(BigDecimal.valueOf(periodSeconds));
    return quotient(numerator, HUNDRED.multiply(BigDecimal.valueOf(longWindowSeconds)));
  }

  /**
   * Divides exactly when the result terminates, else rounds to {@value #SIGNIFICANT_DIGITS}
   * significant digits (half-even).
   *
   * @param numerator any decimal
   * @param denominator a non-zero decimal
   * @return the quotient without trailing zeros
   * @throws ArithmeticException when the denominator is zero
   */
  public static BigDecimal quotient(BigDecimal numerator, BigDecimal denominator) {
    try {
      return plain(numerator.divide(denominator));
    } catch (ArithmeticException nonTerminating) {
      if (denominator.signum() == 0) {
        throw nonTerminating;
      }
      return plain(numerator.divide(denominator, ROUNDED));
    }
  }

  /**
   * @param value any decimal
   * @return the same value without trailing zeros and never in exponent notation ({@code 0.001})
   */
  public static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
