package dev.vigil.slo.validate;

import dev.vigil.slo.model.AlertTier;
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
        problems.add(new Problem(slo.source(), slo.path() + ".name",
            "duplicate SLO '" + slo.name() + "' of service '" + slo.service() + "' (first defined in " + previous.source() + " at " + previous.path() + ")",
            "give each SLO of a service its own name"));
      }
    }
    return problems;
  }

  private void check(Slo slo, List<Problem> problems) {
    if (!NAME.matcher(slo.name()).matches()) {
      problems.add(problem(slo, ".name", "'" + slo.name() + "' is not a valid SLO name", "use lower-case letters, digits, '-' and '_', e.g. availability"));
    }
    if (!NAME.matcher(slo.service()).matches()) {
      problems.add(problem(slo, ".service", "'" + slo.service() + "' is not a valid service name", "use lower-case letters, digits, '-' and '_', e.g. catalog"));
    }
    BigDecimal objective = slo.objectivePercent();
    if (objective.signum() <= 0 || objective.compareTo(BigDecimal.valueOf(100)) >= 0) {
      problems.add(problem(slo, ".objective", "objective " + objective.toPlainString() + "% is out of range",
          "write a percentage strictly between 0 and 100, e.g. 99.9 (100% leaves no error budget)"));
    }
    if (slo.sli() instanceof Sli.Events events) {
      placeholder(slo, "bad", events.bad(), problems);
      placeholder(slo, "good", events.good(), problems);
      placeholder(slo, "total", events.total(), problems);
    } else if (slo.sli() instanceof Sli.Latency latency) {
      if (latency.thresholdSeconds().signum() <= 0) {
        problems.add(problem(slo, ".sli.latency.threshold", "threshold must be positive seconds", "write the threshold in seconds, e.g. 0.5"));
      }
      if (latency.selector().isEmpty()) {
        problems.add(problem(slo, ".sli.latency.selector", "an empty selector measures every service's requests",
            "write the labels of this service's series, e.g. selector: {service: catalog}"));
      }
    }
    if (slo.period().ruleWindow().seconds() < RecordedWindows.ALL.getLast().seconds()) {
      problems.add(problem(slo, ".period", "period " + slo.period() + " is shorter than the 3d alert window", "use a period of at least 3d, typically 28d or 30d"));
    }
    List<AlertTier> tiers = slo.alerting().tiers();
    for (int i = 0; i < tiers.size(); i++) {
      AlertTier t = tiers.get(i);
      String at = ".alerting.tiers[" + t.name() + "]";
      if (!t.severity().equals(AlertTier.PAGE) && !t.severity().equals(AlertTier.TICKET)) {
        problems.add(problem(slo, at + ".severity", "severity '" + t.severity() + "' is not routed", "write critical (page) or warning (ticket)"));
      }
      for (var w : List.of(t.longWindow(), t.shortWindow())) {
        if (!RecordedWindows.contains(w)) {
          problems.add(problem(slo, at, "window " + w + " is not recorded", "use one of " + RecordedWindows.ALL));
        }
      }
      if (t.shortWindow().compareTo(t.longWindow()) >= 0) {
        problems.add(problem(slo, at + ".shortWindow", "short window " + t.shortWindow() + " is not shorter than the long window " + t.longWindow(),
            "use a short window of about 1/12 of the long window (1h -> 5m)"));
      }
      if (t.budgetPercent().signum() <= 0 || t.budgetPercent().compareTo(BigDecimal.valueOf(100)) > 0) {
        problems.add(problem(slo, at + ".budgetPercent", "budgetPercent " + t.budgetPercent().toPlainString() + " is out of range", "write a percentage in (0, 100], e.g. 2"));
      }
    }
  }

  private static void placeholder(Slo slo, String field, String query, List<Problem> problems) {
    if (query != null && !query.contains(Sli.WINDOW)) {
      problems.add(problem(slo, ".sli.events." + field, "query has no {{window}} placeholder, so every window would measure the same range",
          "write the range as [{{window}}], e.g. sum(rate(http_requests_total{service=\"catalog\"}[{{window}}]))"));
    }
  }

  private static Problem problem(Slo slo, String field, String message, String fix) {
    return new Problem(slo.source(), slo.path() + field, message, fix);
  }
}
