package dev.vigil.slo.generate;

import dev.vigil.prometheus.PromDuration;
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
    return Burn.of(slo, tier).summary();
  }

  /**
   * The template (value null) or its rendering for a burn rate (value = burn rate over the long
   * window).
   */
  static String burnDescription(Slo slo, AlertTier tier, Double value) {
    return Burn.of(slo, tier).description(value);
  }

  /**
   * One tier's burn-rate texts for one SLO, their fixed parts built once: the promtool tests render
   * the description at every asserted minute, and the parts take decimal arithmetic (the tier's
   * factor, the budget in minutes).
   *
   * @param summary the summary annotation
   * @param head the description up to the burn rate
   * @param middle the description between the burn rate and how long the budget lasts
   * @param periodSeconds the SLO's period, seconds
   */
  record Burn(String summary, String head, String middle, long periodSeconds) {

    /**
     * @param slo the SLO
     * @param tier one of its tiers
     * @return the tier's texts
     */
    static Burn of(Slo slo, AlertTier tier) {
      String factor = tier.factor(slo.period()).toPlainString();
      PromDuration window = slo.period().ruleWindow();
      return new Burn(
          slo.service()
              + " "
              + slo.name()
              + " SLO: error budget burning faster than "
              + factor
              + "x over "
              + tier.longWindow(),
          "Over the last "
              + tier.longWindow()
              + " (still true over the last "
              + tier.shortWindow()
              + ") the error budget burned at ",
          "x the sustainable rate; this alert fires above "
              + factor
              + "x, i.e. "
              + tier.budgetPercent().toPlainString()
              + "% of the "
              + window
              + " budget in "
              + tier.longWindow()
              + ". At this rate the whole "
              + window
              + " budget ("
              + slo.budgetMinutes().toPlainString()
              + " minutes of full outage) lasts ",
          window.seconds());
    }

    /**
     * @param value the burn rate over the long window, or null for the Go template
     * @return the description annotation
     */
    String description(Double value) {
      String burn = value == null ? "{{ $value | printf \"%.2f\" }}" : GoFormat.fixed(value, 2);
      String lasts =
          value == null
              ? "{{ printf \""
                  + periodSeconds
                  + " / %f\" $value | query | first | value | humanizeDuration }}"
              : GoFormat.humanizeDuration(
                  periodSeconds / Double.parseDouble(GoFormat.fixed(value, 6)));
      return head + burn + middle + lasts + ".";
    }
  }

  static String exhaustedSummary(Slo slo) {
    return slo.service() + " " + slo.name() + " SLO: error budget exhausted";
  }

  /** The template (value null) or its rendering for a remaining budget in percent. */
  static String exhaustedDescription(Slo slo, Double remainingPercent) {
    return exhaustedDescription(exhaustedTail(slo), remainingPercent);
  }

  /**
   * @param tail {@link #exhaustedTail} of the SLO
   * @param remainingPercent the remaining budget in percent, or null for the Go template
   * @return the description annotation of the budget-exhausted alert
   */
  static String exhaustedDescription(String tail, Double remainingPercent) {
    String remaining =
        remainingPercent == null
            ? "{{ $value | printf \"%.1f\" }}"
            : GoFormat.fixed(remainingPercent, 1);
    return remaining + tail;
  }

  /**
   * @param slo the SLO
   * @return the budget-exhausted description after the remaining percentage, the same at every
   *     minute
   */
  static String exhaustedTail(Slo slo) {
    return "% of the "
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
