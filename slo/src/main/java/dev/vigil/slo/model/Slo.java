package dev.vigil.slo.model;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service level objective, whatever format it was written in.
 *
 * @param source the spec file it came from
 * @param path the field path of the SLO inside that file, e.g. {@code slos[0]}
 * @param service the service it measures, e.g. {@code catalog}
 * @param name the SLO's name, unique per service, e.g. {@code availability}
 * @param description one sentence for people
 * @param objectivePercent the objective in percent, e.g. {@code 99.9}
 * @param period the period the objective holds over
 * @param sli how good and bad events are counted
 * @param alerting the burn-rate tiers and guards
 * @param labels extra labels put on every alert of this SLO
 */
public record Slo(
    Path source,
    String path,
    String service,
    String name,
    String description,
    BigDecimal objectivePercent,
    Period period,
    Sli sli,
    AlertPolicy alerting,
    Map<String, String> labels) {

  /** Copies the labels in key order. */
  public Slo {
    labels = new TreeMap<>(labels);
  }

  /**
   * @return the error budget ratio 0..1, e.g. {@code 0.001} for 99.9%
   */
  public BigDecimal errorBudget() {
    return BudgetMath.errorBudget(objectivePercent);
  }

  /**
   * @return the objective ratio 0..1, e.g. {@code 0.999}
   */
  public BigDecimal objectiveRatio() {
    return BudgetMath.objectiveRatio(objectivePercent);
  }

  /**
   * @return minutes of full outage the budget allows over the rule window (43.2 for 99.9% over 30d)
   */
  public BigDecimal budgetMinutes() {
    return BudgetMath.budgetMinutes(errorBudget(), period.ruleWindow().seconds());
  }
}
