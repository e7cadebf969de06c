package dev.vigil.drills.budget;

import dev.vigil.prometheus.PrometheusClient;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One SLO's error budget over a window, read from the recorded series {@value #SERIES} (the SLO
 * rules of deploy/prometheus/rules/generated/: {@code 1 - error ratio over the period / (1 -
 * objective)}) at the window's start and at its end. The one place where drill reports and incident
 * drafts read, subtract and print budgets, so that their figures agree.
 *
 * @param slo the SLO's name (label {@code slo})
 * @param remainingBefore remaining budget at the start, a fraction of the whole budget (1 = all of
 *     it, negative = overspent), or null when the series had no value then
 * @param remainingAfter remaining budget at the end, or null
 */
public record BudgetChange(String slo, Double remainingBefore, Double remainingAfter) {

  /** The recorded series of the remaining error budget, one per SLO (label {@code slo}). */
  public static final String SERIES = "slo:error_budget_remaining:ratio";

  /**
   * The selector of one SLO's remaining budget.
   *
   * @param slo the SLO's name
   * @return e.g. {@code slo:error_budget_remaining:ratio{slo="availability"}}
   */
  public static String selector(String slo) {
    return SERIES + "{slo=\"" + slo + "\"}";
  }

  /**
   * The budget consumed in the window: remaining before minus remaining after.
   *
   * @return a fraction of the whole budget (0.02 = 2% of it), or null when either end is missing
   */
  public Double consumed() {
    return remainingBefore == null || remainingAfter == null
        ? null
        : remainingBefore - remainingAfter;
  }

  /**
   * The remaining budget of every SLO that has the series, at an instant.
   *
   * @param prometheus where the series is recorded
   * @param at the instant
   * @return remaining budget (fraction) by SLO name, sorted by name; SLOs without a value at {@code
   *     at} are absent
   * @throws IOException when Prometheus does not answer
   */
  public static Map<String, Double> remaining(PrometheusClient prometheus, Instant at)
      throws IOException {
    Map<String, Double> out = new TreeMap<>();
    for (String slo : new TreeSet<>(prometheus.labelValues("slo", SERIES))) {
      OptionalDouble v = prometheus.value(selector(slo), at);
      if (v.isPresent()) {
        out.put(slo, v.getAsDouble());
      }
    }
    return out;
  }

  /**
   * Pairs the budgets read at a window's start and end.
   *
   * @param before remaining budget by SLO at the start ({@link #remaining})
   * @param after remaining budget by SLO at the end
   * @param alsoSlos SLOs to list even when neither end has a value (e.g. those a drill judges)
   * @return one change per SLO of either map or {@code alsoSlos}, sorted by SLO name
   */
  public static List<BudgetChange> between(
      Map<String, Double> before, Map<String, Double> after, Collection<String> alsoSlos) {
    TreeSet<String> slos = new TreeSet<>(before.keySet());
    slos.addAll(after.keySet());
    slos.addAll(alsoSlos);
    List<BudgetChange> out = new ArrayList<>();
    for (String slo : slos) {
      out.add(new BudgetChange(slo, before.get(slo), after.get(slo)));
    }
    return out;
  }

  /**
   * A budget fraction as reports print it.
   *
   * @param ratio a fraction of the budget, or null
   * @return e.g. {@code 2661.7180%} (four decimals, the fraction times 100), or {@code -} for null
   */
  public static String percent(Double ratio) {
    return ratio == null ? "-" : String.format(Locale.ROOT, "%.4f%%", ratio * 100);
  }

  /**
   * The markdown table of budgets that drill reports and incident drafts print: SLO, remaining
   * before, remaining after, consumed, then the caller's own columns.
   *
   * @param <T> the caller's row type
   * @param rows the rows, in the order to print
   * @param change the budget change of a row
   * @param extraHeaders headers of the caller's columns, may be empty
   * @param extraCells the cells of a row's extra columns, as many as {@code extraHeaders}
   * @param consumedHeader the header of the consumed column, e.g. {@code Consumed in the window}
   * @return the table, one line per row, ending with a newline
   */
  public static <T> String markdownTable(
      List<T> rows,
      Function<T, BudgetChange> change,
      String consumedHeader,
      List<String> extraHeaders,
      Function<T, List<String>> extraCells) {
    StringBuilder md = new StringBuilder();
    md.append("| SLO | Remaining before | Remaining after | ").append(consumedHeader).append(" |");
    extraHeaders.forEach(h -> md.append(' ').append(h).append(" |"));
    md.append("\n|---|---|---|---|").append("---|".repeat(extraHeaders.size())).append('\n');
    for (T row : rows) {
      BudgetChange b = change.apply(row);
      md.append("| ")
          .append(b.slo())
          .append(" | ")
          .append(percent(b.remainingBefore()))
          .append(" | ")
          .append(percent(b.remainingAfter()))
          .append(" | ")
          .append(percent(b.consumed()))
          .append(" |");
      extraCells.apply(row).forEach(c -> md.append(' ').append(c).append(" |"));
      md.append('\n');
    }
    return md.toString();
  }
}
