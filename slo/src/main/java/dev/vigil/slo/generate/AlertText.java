package dev.vigil.slo.generate;

import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.Slo;
import java.math.BigDecimal;

/**
 * The annotations of every generated alert, written once and rendered two ways: as the Go template
 * the rule carries, and as the text Prometheus prints for a given value (for the generated promtool
 * tests).
 */
final class AlertText {

  static final String RUNBOOK_BASE = "https://github.com/vigil-sre/vigil/blob/main/docs/runbooks/";

  private AlertText() {}

  static String runbook(String alertName) {
    return RUNBOOK_BASE + alertName + ".md";
  }

  static String burnSummary(Slo slo, AlertTier tier) {
    return slo.service()
        + " "
        + slo.name()
        + " SLO: error budget burning faster than "
        + tier.factor(slo.period()).toPlainString()
        + "x over "
        + tier.longWindow();
  }

  /**
   * The template (value null) or its rendering for a burn rate (value = burn rate over the long
   * window).
   */
  static String burnDescription(Slo slo, AlertTier tier, Double value) {
    long periodSeconds = slo.period().ruleWindow().seconds();
    String burn = value == null ? "{{ $value | printf \"%.2f\" }}" : GoFormat.fixed(value, 2);
    String lasts =
        value == null
            ? "{{ printf \""
                + periodSeconds
                + " / %f\" $value | query | first | value | humanizeDuration }}"
            : GoFormat.humanizeDuration(
                periodSeconds / Double.parseDouble(GoFormat.fixed(value, 6)));
    return "Over the last "
        + tier.longWindow()
        + " (still true over the last "
        + tier.shortWindow()
        + ") the error budget burned at "
        + burn
        + "x the sustainable rate; this alert fires above "
        + tier.factor(slo.period()).toPlainString()
        + "x, i.e. "
        + tier.budgetPercent().toPlainString()
        + "% of the "
        + slo.period().ruleWindow()
        + " budget in "
        + tier.longWindow()
        + ". At this rate the whole "
        + slo.period().ruleWindow()
        + " budget ("
        + slo.budgetMinutes().toPlainString()
        + " minutes of full outage) lasts "
        + lasts
        + ".";
  }

  static String exhaustedSummary(Slo slo) {
    return slo.service() + " " + slo.name() + " SLO: error budget exhausted";
  }

  /** The template (value null) or its rendering for a remaining budget in percent. */
  static String exhaustedDescription(Slo slo, Double remainingPercent) {
    String remaining =
        remainingPercent == null
            ? "{{ $value | printf \"%.1f\" }}"
            : GoFormat.fixed(remainingPercent, 1);
    return remaining
        + "% of the "
        + slo.period().ruleWindow()
        + " error budget remains, below the policy's "
        + percent(ErrorBudgetPolicy.EXHAUSTED_BELOW)
        + "%: "
        + ErrorBudgetPolicy.EXHAUSTED.consequence()
        + " (docs/error-budget-policy.md).";
  }

  static String absentSummary(Slo slo) {
    return slo.service() + " " + slo.name() + " SLO: SLI series absent";
  }

  static String absentDescription(Slo slo) {
    return "The SLI's total events of "
        + slo.service()
        + " "
        + slo.name()
        + " have had no series for "
        + slo.alerting().absentFor()
        + ": the SLO measures nothing and its burn-rate alerts cannot fire.";
  }

  static String percent(BigDecimal ratio) {
    return ratio.movePointRight(2).stripTrailingZeros().toPlainString();
  }
}
