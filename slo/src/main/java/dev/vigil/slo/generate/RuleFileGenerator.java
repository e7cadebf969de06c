package dev.vigil.slo.generate;

import static dev.vigil.slo.model.SloSeries.matchers;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the Prometheus rule groups of SLOs: one group per SLO holding, in evaluation order, the
 * SLI recording rules, the metadata rules and the alerts. The burn-rate alerts sum the recorded
 * minute counts themselves instead of reading the recorded window ratios, so that on an engine that
 * reads recordings back from its store (vmalert) they are one level of recordings from the raw
 * series, not two (docs/scaling.md, "Chained recordings").
 */
public final class RuleFileGenerator {

  /**
   * @param slos valid SLOs
   * @return the rule groups, ready to be written under {@code groups:}, each evaluated every {@link
   *     RecordedWindows#BASE}
   */
  public List<Map<String, Object>> groups(List<Slo> slos) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Slo slo : slos) {
      List<Object> rules = new ArrayList<>();
      rules.addAll(eventRules(slo));
      rules.addAll(windowRules(slo));
      rules.addAll(metadataRules(slo));
      rules.addAll(alertRules(slo));
      groups.add(group(slo, rules));
    }
    return groups;
  }

  /**
   * The rules of each SLO's group that carry the SLI's own PromQL, for checking it with promtool:
   * the time slice verdict and the base window's bad and total events. Every other rule is vigil's
   * template around recorded series, valid once these are, so promtool parses 2 or 3 rules per SLO
   * instead of about 30 (1,000 SLOs: 1 MB instead of 10 MB of rules).
   *
   * @param slos valid SLOs
   * @return one group per SLO, named as in {@link #groups}
   */
  public List<Map<String, Object>> sliQueryGroups(List<Slo> slos) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Slo slo : slos) {
      groups.add(group(slo, new ArrayList<>(eventRules(slo))));
    }
    return groups;
  }

  /**
   * The rules that read the SLI's raw series, in evaluation order: the time slice verdict (time
   * slice SLIs), then the bad and total events of the {@link RecordedWindows#BASE} minute before
   * each evaluation. {@code vigil slo backfill} evaluates exactly these over history; every other
   * recording sums their output.
   *
   * <p>Bad events are recorded only when total events are (no traffic series, no count), and an
   * absent bad series (nothing has failed yet) counts 0.
   *
   * @param slo a valid SLO
   * @return the recording rules, each a map with {@code record}, {@code expr} and {@code labels}
   */
  public List<Map<String, Object>> eventRules(Slo slo) {
    List<Map<String, Object>> rules = new ArrayList<>();
    if (slo.sli() instanceof Sli.Timeslices slices) {
      rules.add(record(slo, Sli.Timeslices.VERDICT_SERIES, slices.verdictQuery()));
    }
    PromDuration base = RecordedWindows.BASE;
    String total = slo.sli().totalQuery(base);
    rules.add(
        record(
            slo,
            SloSeries.BAD_EVENTS,
            "(("
                + slo.sli().badQuery(base)
                + ") or vector(0)) * "
                + base.seconds()
                + "\nand\n"
                + total));
    rules.add(record(slo, SloSeries.TOTAL_EVENTS, total + " * " + base.seconds()));
    return rules;
  }

  /**
   * Each recorded window's error ratio and total event rate, and the period's error ratio, summed
   * from the SLO's own event counts: bad events / all events over the window, event-weighted, at a
   * cost of window / {@link RecordedWindows#BASE} samples whatever the number of raw series.
   */
  private List<Map<String, Object>> windowRules(Slo slo) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (PromDuration w : RecordedWindows.ALL) {
      rules.add(record(slo, SloSeries.errorRatio(w), SloSeries.ratioOver(slo, w)));
      rules.add(
          record(
              slo,
              SloSeries.totalRate(w),
              SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, w) + " / " + w.seconds()));
    }
    rules.add(
        record(
            slo,
            SloSeries.PERIOD_ERROR_RATIO,
            SloSeries.ratioOver(slo, slo.period().ruleWindow())));
    return rules;
  }

  private static Map<String, Object> group(Slo slo, List<Object> rules) {
    return YamlEmitter.ordered(
        "name",
        "slo-" + slo.service() + "-" + slo.name(),
        "interval",
        RecordedWindows.BASE.toString(),
        "rules",
        rules);
  }

  private List<Map<String, Object>> metadataRules(Slo slo) {
    String budget = slo.errorBudget().toPlainString();
    return List.of(
        record(slo, SloSeries.OBJECTIVE, "vector(" + slo.objectiveRatio().toPlainString() + ")"),
        record(slo, SloSeries.ERROR_BUDGET, "vector(" + budget + ")"),
        record(
            slo, SloSeries.PERIOD_SECONDS, "vector(" + slo.period().ruleWindow().seconds() + ")"),
        record(
            slo,
            SloSeries.CURRENT_BURN_RATE,
            SloSeries.errorRatio(PromDuration.parse("5m")) + matchers(slo) + " / " + budget),
        record(
            slo,
            SloSeries.PERIOD_BURN_RATE,
            SloSeries.PERIOD_ERROR_RATIO + matchers(slo) + " / " + budget),
        record(
            slo,
            SloSeries.BUDGET_REMAINING,
            "1 - " + SloSeries.PERIOD_ERROR_RATIO + matchers(slo) + " / " + budget));
  }

  private List<Map<String, Object>> alertRules(Slo slo) {
    List<Map<String, Object>> rules = new ArrayList<>();
    String budget = slo.errorBudget().toPlainString();
    for (AlertTier tier : slo.alerting().enabledTiers()) {
      String factor = tier.factor(slo.period()).toPlainString();
      String expr =
          burnRate(slo, tier.longWindow(), budget)
              + " > "
              + factor
              + "\nand\n"
              + burnRate(slo, tier.shortWindow(), budget)
              + " > "
              + factor
              + "\nand\n"
              + SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, tier.longWindow())
              + " >= "
              + slo.alerting().minEvents()
              + "\n";
      Map<String, String> labels = alertLabels(slo, tier.severity());
      labels.put("long_window", tier.longWindow().toString());
      labels.put("short_window", tier.shortWindow().toString());
      String name = tier.pages() ? SloSeries.ALERT_PAGE : SloSeries.ALERT_TICKET;
      rules.add(
          alert(
              name,
              expr,
              tier.forDuration(),
              labels,
              AlertText.burnSummary(slo, tier),
              AlertText.burnDescription(slo, tier, null)));
    }
    BigDecimal exhaustedPercent = ErrorBudgetPolicy.EXHAUSTED_BELOW.movePointRight(2);
    rules.add(
        alert(
            SloSeries.ALERT_EXHAUSTED,
            "(1 - "
                + SloSeries.PERIOD_ERROR_RATIO
                + matchers(slo)
                + " / "
                + budget
                + ") * 100 < "
                + BudgetMath.plain(exhaustedPercent).toPlainString(),
            slo.alerting().exhaustedFor(),
            alertLabels(slo, AlertTier.TICKET),
            AlertText.exhaustedSummary(slo),
            AlertText.exhaustedDescription(slo, null)));
    rules.add(
        alert(
            SloSeries.ALERT_ABSENT,
            "absent(" + SloSeries.totalRate(PromDuration.parse("5m")) + matchers(slo) + ")",
            slo.alerting().absentFor(),
            alertLabels(slo, AlertTier.TICKET),
            AlertText.absentSummary(slo),
            AlertText.absentDescription(slo)));
    return rules;
  }

  /**
   * The burn rate over a window, computed from the SLO's recorded minute counts rather than read
   * from its recorded error ratio: an alert then reads one level of recordings, not two. Prometheus
   * evaluates a group's rules in turn at one timestamp, so there the two are the same number;
   * vmalert reads a recording back from the store only once it has been written, one group interval
   * later per level (docs/scaling.md, "Chained recordings"). It costs window / {@link
   * RecordedWindows#BASE} samples per operand, whatever the number of raw series.
   *
   * @return PromQL for bad events / all events over the window / the error budget ratio
   */
  private static String burnRate(Slo slo, PromDuration window, String budget) {
    return "(\n  "
        + SloSeries.sumOver(SloSeries.BAD_EVENTS, slo, window)
        + "\n  /\n  "
        + SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, window)
        + "\n) / "
        + budget;
  }

  private static Map<String, String> alertLabels(Slo slo, String severity) {
    Map<String, String> labels = new LinkedHashMap<>(slo.labels());
    labels.put("service", slo.service());
    labels.put("slo", slo.name());
    labels.put("severity", severity);
    return labels;
  }

  private static Map<String, Object> record(Slo slo, String name, String expr) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("record", name);
    rule.put("expr", expr.endsWith("\n") ? expr : expr + "\n");
    rule.put("labels", YamlEmitter.ordered("service", slo.service(), "slo", slo.name()));
    return rule;
  }

  private static Map<String, Object> alert(
      String name,
      String expr,
      PromDuration forDuration,
      Map<String, String> labels,
      String summary,
      String description) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("alert", name);
    rule.put("expr", expr.endsWith("\n") ? expr : expr + "\n");
    rule.put("for", forDuration.toString());
    rule.put("labels", labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", summary);
    annotations.put("description", description);
    annotations.put("runbook_url", AlertText.runbook(name));
    rule.put("annotations", annotations);
    return rule;
  }
}
