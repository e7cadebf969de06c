package dev.vigil.slo.model;

import java.math.BigDecimal;
import java.util.function.BiConsumer;

/**
 * The objectives vigil accepts, in percent: strictly between 0 and 100, not a fraction written
 * where a percentage is meant ({@code 0.999}), and at most {@link #MAX_PERCENT}. One rule for the
 * spec readers (an SLO that cannot be built still hears about its objective) and the validator.
 */
public final class ObjectiveRange {

  /** The tightest objective whose budget Prometheus' float64 arithmetic still resolves. */
  public static final BigDecimal MAX_PERCENT = new BigDecimal("99.9999");

  private ObjectiveRange() {}

  /**
   * Checks an objective on its own, so that a spec whose SLO is incomplete (no sli) still hears
   * about a wrong objective in the same run.
   *
   * @param objective the objective in percent as written
   * @param problem receives (message, fix) for each problem
   * @return true when the objective is valid
   */
  public static boolean check(BigDecimal objective, BiConsumer<String, String> problem) {
    if (objective.signum() <= 0 || objective.compareTo(BigDecimal.valueOf(100)) >= 0) {
      problem.accept(
          "objective " + objective.toPlainString() + "% is out of range",
          "write a percentage strictly between 0 and 100, e.g. 99.9 (100% leaves no error budget)");
      return false;
    }
    if (objective.compareTo(BigDecimal.ONE) <= 0) {
      String meant = BudgetMath.plain(objective.movePointRight(2)).toPlainString();
      problem.accept(
          "objective "
              + objective.toPlainString()
              + " looks like a fraction, but objective is in percent: "
              + objective.toPlainString()
              + "% would allow "
              + BudgetMath.plain(BigDecimal.valueOf(100).subtract(objective)).toPlainString()
              + "% of events to fail",
          "write the percentage, objective: " + meant);
      return false;
    }
    if (objective.compareTo(MAX_PERCENT) > 0) {
      problem.accept(
          "objective "
              + objective.toPlainString()
              + "% leaves an error budget too small to measure"
              + " (Prometheus' float64 rates cannot tell it from 0)",
          "write at most "
              + MAX_PERCENT.toPlainString()
              + " (99.9999% allows 2.6 s of outage in 30 days)");
      return false;
    }
    return true;
  }
}
