package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.math.BigDecimal;

/**
 * One multi-window burn-rate alert: it fires when both the long and the short window burn the
 * budget faster than {@code budgetPercent} of the period's budget per long window.
 *
 * @param name the tier's name in the spec, e.g. {@code page-1h}
 * @param severity {@code critical} (page) or {@code warning} (ticket), see docs/contracts
 * @param budgetPercent share of the whole error budget consumed within the long window, in percent
 * @param longWindow the window that measures the burn
 * @param shortWindow the window that confirms the burn is still going on (resets the alert quickly)
 * @param forDuration how long the condition must hold before the alert fires
 * @param enabled false to leave the tier out of the generated rules
 * @param fixedFactor the burn-rate factor when the spec states it directly (OpenSLO's burnrate
 *     threshold), else null and the factor is computed from {@code budgetPercent}
 */
public record AlertTier(
    String name,
    String severity,
    BigDecimal budgetPercent,
    PromDuration longWindow,
    PromDuration shortWindow,
    PromDuration forDuration,
    boolean enabled,
    BigDecimal fixedFactor) {

  /** Severity of the page tier. */
  public static final String PAGE = "critical";

  /** Severity of the ticket tier. */
  public static final String TICKET = "warning";

  /**
   * @param period the SLO period
   * @return the burn-rate factor of this tier for the period, see {@link BudgetMath#burnRateFactor}
   */
  public BigDecimal factor(Period period) {
    if (fixedFactor != null) {
      return BudgetMath.plain(fixedFactor);
    }
    return BudgetMath.burnRateFactor(
        budgetPercent, period.ruleWindow().seconds(), longWindow.seconds());
  }

  /**
   * @return true for the page tier (severity critical)
   */
  public boolean pages() {
    return PAGE.equals(severity);
  }

  /**
   * @param enabled the new state
   * @return a copy with that state
   */
  public AlertTier withEnabled(boolean enabled) {
    return new AlertTier(
        name, severity, budgetPercent, longWindow, shortWindow, forDuration, enabled, fixedFactor);
  }
}
