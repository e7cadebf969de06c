package dev.vigil.slo.validate;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.ObjectiveRange;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks the meaning of SLOs that were read without syntax problems: objective range, window
 * placeholders, alert tiers, duplicate names. Reports every problem, never stops at the first.
 */
public final class SloValidator {

  /** The longest period accepted: a year (a leap year's 366 days). */
  static final PromDuration MAX_PERIOD = PromDuration.parse("366d");

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?");

  /**
   * @param slos SLOs from one or more files
   * @return every problem found, in input order; empty when all are valid
   */
  public List<Problem> validate(List<Slo> slos) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Slo> seen = new HashMap<>();
    for (Slo slo : slos) {
      check(slo, problems);
      Slo previous = seen.putIfAbsent(slo.service() + "/" + slo.name(), slo);
      if (previous != null) {
        problems.add(
            new Problem(
                slo.source(),
                slo.path() + ".name",
                "duplicate SLO '"
                    + slo.name()
                    + "' of service '"
                    + slo.service()
                    + "' (first defined in "
                    + previous.source()
                    + " at "
                    + previous.path()
                    + ")",
                "give each SLO of a service its own name"));
      }
    }
    return problems;
  }

  private void check(Slo slo, List<Problem> problems) {
    if (!NAME.matcher(slo.name()).matches()) {
      problems.add(
          problem(
              slo,
              ".name",
              "'" + slo.name() + "' is not a valid SLO name",
              "use lower-case letters, digits, '-' and '_', e.g. availability"));
    }
    for (String label : slo.labels().keySet()) {
      if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
        problems.add(
            problem(
                slo,
                ".labels." + label,
                "'"
                    + label
                    + "' is not a Prometheus label name, so promtool and Prometheus would refuse the rules",
                "use letters, digits and '_', not starting with a digit or '__', e.g. team"));
      }
    }
    if (!NAME.matcher(slo.service()).matches()) {
      problems.add(
          problem(
              slo,
              ".service",
              "'" + slo.service() + "' is not a valid service name",
              "use lower-case letters, digits, '-' and '_', e.g. catalog"));
    }
    boolean objectiveValid =
        ObjectiveRange.check(
            slo.objectivePercent(),
            (message, fix) -> problems.add(problem(slo, ".objective", message, fix)));
    if (slo.sli() instanceof Sli.Events events) {
      placeholder(slo, "events.bad", events.bad(), problems);
      placeholder(slo, "events.good", events.good(), problems);
      placeholder(slo, "events.total", events.total(), problems);
    } else if (slo.sli() instanceof Sli.Timeslices slices) {
      placeholder(slo, "timeslices.good", slices.good(), problems);
      if (slices.target() != null
          && (slices.target().signum() <= 0 || slices.target().compareTo(BigDecimal.ONE) > 0)) {
        problems.add(
            problem(
                slo,
                ".sli.timeslices.target",
                "target " + slices.target().toPlainString() + " is not in (0, 1]",
                "write the least value of a good slice as a ratio, e.g. 1 (every probe succeeded) or 0.75"));
      }
      if (slices.slice().seconds() < 60 || slices.slice().compareTo(PromDuration.parse("5m")) > 0) {
        problems.add(
            problem(
                slo,
                ".sli.timeslices.window",
                "slice " + slices.slice() + " is outside 1m..5m",
                "use 1m: the alert windows count slices, and the 5m short window needs several of them"));
      }
    } else if (slo.sli() instanceof Sli.Latency latency) {
      if (latency.thresholdSeconds().signum() <= 0) {
        problems.add(
            problem(
                slo,
                ".sli.latency.threshold",
                "threshold must be positive seconds",
                "write the threshold in seconds, e.g. 0.5"));
      }
      if (latency.selector().isEmpty()) {
        problems.add(
            problem(
                slo,
                ".sli.latency.selector",
                "an empty selector measures every service's requests",
                "write the labels of this service's series, e.g. selector: {service: catalog}"));
      }
    }
    if (slo.period().ruleWindow().seconds() < RecordedWindows.ALL.getLast().seconds()) {
      problems.add(
          problem(
              slo,
              ".period",
              "period " + slo.period() + " is shorter than the 3d alert window",
              "use a period of at least 3d, typically 28d or 30d"));
    } else if (slo.period().ruleWindow().compareTo(MAX_PERIOD) > 0) {
      problems.add(
          problem(
              slo,
              ".period",
              "period "
                  + slo.period()
                  + " is longer than a year: Prometheus would read that much raw history at every evaluation",
              "use a period of at most " + MAX_PERIOD + ", typically 28d or 30d, or quarter"));
    }
    List<AlertTier> tiers = slo.alerting().tiers();
    for (int i = 0; i < tiers.size(); i++) {
      AlertTier t = tiers.get(i);
      String at = ".alerting.tiers[" + t.name() + "]";
      if (!t.severity().equals(AlertTier.PAGE) && !t.severity().equals(AlertTier.TICKET)) {
        problems.add(
            problem(
                slo,
                at + ".severity",
                "severity '" + t.severity() + "' is not routed",
                "write critical (page) or warning (ticket)"));
      }
      for (var w : List.of(t.longWindow(), t.shortWindow())) {
        if (!RecordedWindows.contains(w)) {
          problems.add(
              problem(
                  slo,
                  at,
                  "window " + w + " is not recorded",
                  "use one of " + RecordedWindows.ALL));
        }
      }
      if (t.shortWindow().compareTo(t.longWindow()) >= 0) {
        problems.add(
            problem(
                slo,
                at + ".shortWindow",
                "short window "
                    + t.shortWindow()
                    + " is not shorter than the long window "
                    + t.longWindow(),
                "use a short window of about 1/12 of the long window (1h -> 5m)"));
      }
      if (t.budgetPercent().signum() <= 0
          || t.budgetPercent().compareTo(BigDecimal.valueOf(100)) > 0) {
        problems.add(
            problem(
                slo,
                at + ".budgetPercent",
                "budgetPercent " + t.budgetPercent().toPlainString() + " is out of range",
                "write a percentage in (0, 100], e.g. 2"));
      } else if (objectiveValid && t.enabled() && RecordedWindows.contains(t.longWindow())) {
        unreachable(slo, t, at, problems);
      }
    }
  }

  /**
   * A tier fires when the error ratio exceeds factor x budget; when that is 100% or more, no
   * traffic can ever fire it (e.g. a 90% objective's page-1h: 14.4 x 0.1 = 144% errors).
   */
  private static void unreachable(Slo slo, AlertTier t, String at, List<Problem> problems) {
    BigDecimal factor = t.factor(slo.period());
    BigDecimal threshold = factor.multiply(slo.errorBudget());
    if (threshold.compareTo(BigDecimal.ONE) < 0) {
      return;
    }
    BigDecimal maxBurn = BudgetMath.quotient(BigDecimal.ONE, slo.errorBudget());
    String fix;
    if (t.fixedFactor() != null) {
      fix =
          "write a burn-rate threshold below "
              + maxBurn.toPlainString()
              + " (100% errors burn a "
              + slo.objectivePercent().toPlainString()
              + "% budget at "
              + maxBurn.toPlainString()
              + "x)";
    } else {
      // budgetPercent x period / longWindow x budget < 1  <=>  budgetPercent < longWindow / (period
      // x budget)
      BigDecimal maxPercent =
          BudgetMath.quotient(
              BigDecimal.valueOf(t.longWindow().seconds()).movePointRight(2),
              BigDecimal.valueOf(slo.period().ruleWindow().seconds()).multiply(slo.errorBudget()));
      fix =
          "lower budgetPercent below "
              + maxPercent.toPlainString()
              + " (100% errors for the whole "
              + t.longWindow()
              + " spend "
              + maxPercent.toPlainString()
              + "% of the budget), use a longer longWindow, or switch the tier off with enabled: false";
    }
    problems.add(
        problem(
            slo,
            at,
            "tier "
                + t.name()
                + " can never fire: it needs more than "
                + BudgetMath.plain(threshold.movePointRight(2)).toPlainString()
                + "% errors (burn-rate factor "
                + factor.toPlainString()
                + " x error budget "
                + slo.errorBudget().toPlainString()
                + ")",
            fix));
  }

  private static void placeholder(Slo slo, String field, String query, List<Problem> problems) {
    if (query != null && !query.contains(Sli.WINDOW)) {
      problems.add(
          problem(
              slo,
              ".sli." + field,
              "query has no {{window}} placeholder, so every window would measure the same range",
              "write the range as [{{window}}], e.g. sum(rate(http_requests_total{service=\"catalog\"}[{{window}}]))"));
    }
  }

  private static Problem problem(Slo slo, String field, String message, String fix) {
    return new Problem(slo.source(), slo.path() + field, message, fix);
  }
}
