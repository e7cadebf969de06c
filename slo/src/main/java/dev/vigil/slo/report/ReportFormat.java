package dev.vigil.slo.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders budget report rows as a terminal table, JSON or Markdown. */
public enum ReportFormat {
  /** Aligned columns for the terminal. */
  TABLE,
  /** A JSON array, one object per SLO, numbers unrounded. */
  JSON,
  /** A Markdown table for pull requests and postmortems. */
  MARKDOWN;

  private static final List<String> HEADER =
      List.of(
          "service",
          "slo",
          "objective",
          "period",
          "SLI",
          "budget (events)",
          "budget (min)",
          "consumed",
          "remaining",
          "burn 1h",
          "burn 6h",
          "burn 3d",
          "state",
          "exhausted at (1h burn)",
          "data");

  /**
   * @param rows the report rows
   * @return the rendered report, ending with a newline
   */
  public String render(List<BudgetReport.Row> rows) {
    return switch (this) {
      case JSON -> json(rows);
      case MARKDOWN -> markdown(rows);
      case TABLE -> table(rows);
    };
  }

  private static List<String> cells(BudgetReport.Row r) {
    List<String> c =
        new ArrayList<>(
            List.of(
                r.service(),
                r.slo(),
                r.objectivePercent().toPlainString() + "%",
                r.period(),
                Double.isNaN(r.sli())
                    ? "no data"
                    : String.format(Locale.ROOT, "%.4f%%", r.sli() * 100),
                String.format(Locale.ROOT, "%.1f", r.budgetEvents()),
                r.budgetMinutes().toPlainString(),
                percent(r.consumedPercent()),
                percent(r.remainingPercent())));
    for (int i = 0; i < BudgetReport.BURN_WINDOWS.size(); i++) {
      double b = r.burnRates().get(i);
      boolean partial = !r.covers(BudgetReport.BURN_WINDOWS.get(i));
      c.add(
          Double.isNaN(b)
              ? "-"
              : String.format(Locale.ROOT, "%.2fx", b) + (partial ? " (partial)" : ""));
    }
    c.add(r.hasNoData() ? r.state().label() + ": " + r.noData() : r.state().label());
    c.add(
        r.hasNoData()
            ? "-"
            : r.budgetSpent()
                ? "already spent"
                : r.exhaustedAt() == null ? "never" : r.exhaustedAt().toString());
    c.add(coverage(r));
    return c;
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f%%", value);
  }

  /**
   * @param r a row
   * @return how much of the period the figures rest on, e.g. {@code 2h of 30d}, {@code no data}
   */
  public static String coverage(BudgetReport.Row r) {
    if (r.coverage().isZero()) {
      return "no data";
    }
    return humanDuration(r.coverage()) + " of " + humanDuration(r.periodLength());
  }

  /**
   * @return e.g. {@code 2h}, {@code 1d 3h}, {@code 5m}, {@code 30d}; seconds are dropped above a
   *     minute
   */
  static String humanDuration(java.time.Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    List<String> parts = new ArrayList<>();
    long days = s / 86400;
    long hours = s % 86400 / 3600;
    long minutes = s % 3600 / 60;
    if (days > 0) {
      parts.add(days + "d");
    }
    if (hours > 0) {
      parts.add(hours + "h");
    }
    if (minutes > 0 && days == 0) {
      parts.add(minutes + "m");
    }
    return String.join(" ", parts);
  }

  private static String table(List<BudgetReport.Row> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(HEADER);
    rows.forEach(r -> all.add(cells(r)));
    int[] width = new int[HEADER.size()];
    for (List<String> line : all) {
      for (int i = 0; i < line.size(); i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : all) {
      for (int i = 0; i < line.size(); i++) {
        out.append(String.format("%-" + width[i] + "s", line.get(i)))
            .append(i + 1 < line.size() ? "  " : "");
      }
      out.append('\n');
    }
    return out.toString().lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
  }

  private static String markdown(List<BudgetReport.Row> rows) {
    StringBuilder out = new StringBuilder("| " + String.join(" | ", HEADER) + " |\n");
    out.append("|").append("---|".repeat(HEADER.size())).append('\n');
    rows.forEach(r -> out.append("| ").append(String.join(" | ", cells(r))).append(" |\n"));
    return out.toString();
  }

  private static String json(List<BudgetReport.Row> rows) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ArrayNode array = mapper.createArrayNode();
    for (BudgetReport.Row r : rows) {
      ObjectNode o = array.addObject();
      o.put("service", r.service());
      o.put("slo", r.slo());
      o.put("objective_percent", r.objectivePercent());
      o.put("period", r.period());
      o.put("period_start", r.periodStart().toString());
      o.put("period_seconds", r.periodLength().getSeconds());
      o.put("data_coverage_seconds", r.coverage().getSeconds());
      o.put("data_coverage", coverage(r));
      o.put("total_events", r.totalEvents());
      o.put("bad_events", r.badEvents());
      if (Double.isNaN(r.sli())) {
        o.putNull("sli");
      } else {
        o.put("sli", r.sli());
      }
      o.put("budget_events", r.budgetEvents());
      o.put("budget_minutes", r.budgetMinutes());
      putNumber(o, "consumed_percent", r.consumedPercent());
      putNumber(o, "remaining_percent", r.remainingPercent());
      ObjectNode burns = o.putObject("burn_rates");
      for (int i = 0; i < BudgetReport.BURN_WINDOWS.size(); i++) {
        double b = r.burnRates().get(i);
        if (Double.isNaN(b)) {
          burns.putNull(BudgetReport.BURN_WINDOWS.get(i).toString());
        } else {
          burns.put(BudgetReport.BURN_WINDOWS.get(i).toString(), b);
        }
      }
      ObjectNode covered = o.putObject("burn_windows_covered");
      BudgetReport.BURN_WINDOWS.forEach(w -> covered.put(w.toString(), r.covers(w)));
      o.put("budget_spent", r.budgetSpent());
      o.put("state", r.state().label());
      if (r.hasNoData()) {
        o.put("no_data", r.noData());
      } else {
        o.putNull("no_data");
      }
      o.put("releases_allowed", r.state().releasesAllowed());
      if (r.exhaustedAt() == null) {
        o.putNull("exhausted_at");
      } else {
        o.put("exhausted_at", r.exhaustedAt().toString());
      }
    }
    return array.toPrettyString() + "\n";
  }

  /** JSON has no NaN: a figure that cannot be computed (no data) is null. */
  private static void putNumber(ObjectNode o, String field, double value) {
    if (Double.isNaN(value)) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
