package dev.vigil.slo.model;

import java.math.BigDecimal;

/**
 * The states of the error budget policy and their thresholds on the remaining budget. The
 * thresholds are data taken from docs/error-budget-policy.md (healthy above 50% remaining, low from
 * 10% to 50%, exhausted below 10%): change them here and there together. An SLO whose SLI has no
 * data over its period (no series at all, or series that counted no event) is in none of these but
 * {@link #NO_DATA}: a misnamed metric or a fresh deployment is not "100% remaining".
 */
public enum ErrorBudgetPolicy {
  /** More than 50% of the budget remains: all planned releases go. */
  HEALTHY("healthy", true, "all planned releases may ship"),
  /** 10% to 50% remains: releases go with extra review and load tests. */
  LOW("low", true, "releases need extra review and load tests"),
  /** Less than 10% remains: feature freeze, only reliability fixes ship. */
  EXHAUSTED("exhausted", false, "feature freeze: only fixes that improve reliability may ship"),
  /**
   * The SLI has no data over the period: the budget cannot be judged, so the gate does not let
   * releases through unless told to ({@code vigil slo gate --allow-no-data}).
   */
  NO_DATA(
      "no data",
      false,
      "the budget cannot be judged: check that the SLI's series exist (metric names, labels, scrape"
          + " targets)");

  /** Remaining budget ratio above which the budget is healthy (docs/error-budget-policy.md). */
  public static final BigDecimal HEALTHY_ABOVE = new BigDecimal("0.5");

  /** Remaining budget ratio below which the budget is exhausted (docs/error-budget-policy.md). */
  public static final BigDecimal EXHAUSTED_BELOW = new BigDecimal("0.1");

  private final String label;
  private final boolean releasesAllowed;
  private final String consequence;

  ErrorBudgetPolicy(String label, boolean releasesAllowed, String consequence) {
    this.label = label;
    this.releasesAllowed = releasesAllowed;
    this.consequence = consequence;
  }

  /**
   * @param remainingRatio the remaining budget as a ratio (1 = untouched, may be negative when
   *     overspent)
   * @return the policy state for it (never {@link #NO_DATA}: a ratio is data)
   */
  public static ErrorBudgetPolicy of(double remainingRatio) {
    if (remainingRatio > HEALTHY_ABOVE.doubleValue()) {
      return HEALTHY;
    }
    return remainingRatio < EXHAUSTED_BELOW.doubleValue() ? EXHAUSTED : LOW;
  }

  /**
   * @return the lower-case name used in reports: healthy, low, exhausted, no data
   */
  public String label() {
    return label;
  }

  /**
   * @return whether the policy lets feature releases ship in this state
   */
  public boolean releasesAllowed() {
    return releasesAllowed;
  }

  /**
   * @return what the state means for the team, one sentence
   */
  public String consequence() {
    return consequence;
  }
}
