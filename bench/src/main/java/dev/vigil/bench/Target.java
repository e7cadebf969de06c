package dev.vigil.bench;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * One performance target of docs/performance.md, its limit written once as a number: the goal text,
 * whether a measured value meets it and by how much it misses are all derived from it.
 *
 * @param name what is measured, e.g. {@code hot path, metrics, matched route}
 * @param bound how the measured value must compare with {@code limit}
 * @param limit the limit, in {@code unit}
 * @param unit the unit after the number in the goal, e.g. {@code ms}, {@code ns/op}; empty for a
 *     ratio
 * @param missed for {@link Bound#ZERO}, what a miss means, e.g. {@code allocates per request};
 *     otherwise empty (the gap is computed)
 */
public record Target(String name, Bound bound, double limit, String unit, String missed) {

  /** How a measured value must compare with the limit. */
  public enum Bound {
    /** strictly below, {@code <} */
    BELOW("<"),
    /** at most, {@code ≤} */
    AT_MOST("≤"),
    /** at least, {@code ≥} */
    AT_LEAST("≥"),
    /** nothing: rounds to 0 (below 0.5) */
    ZERO("");

    private final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }
  }

  /**
   * A value that must stay strictly below a limit.
   *
   * @param name what is measured
   * @param limit the limit
   * @param unit its unit, or empty
   * @return the target
   */
  public static Target below(String name, double limit, String unit) {
    return new Target(name, Bound.BELOW, limit, unit, "");
  }

  /**
   * A value (usually a ratio) that must not exceed a limit.
   *
   * @param name what is measured
   * @param limit the limit
   * @return the target, without a unit
   */
  public static Target atMost(String name, double limit) {
    return new Target(name, Bound.AT_MOST, limit, "", "");
  }

  /**
   * A value (usually a ratio) that must reach a limit.
   *
   * @param name what is measured
   * @param limit the limit
   * @return the target, without a unit
   */
  public static Target atLeast(String name, double limit) {
    return new Target(name, Bound.AT_LEAST, limit, "", "");
  }

  /**
   * A count that must be nothing, e.g. bytes allocated per request.
   *
   * @param name what is measured
   * @param unit its unit, e.g. {@code B/op}
   * @param missed what a miss means, e.g. {@code allocates per request}
   * @return the target; met when the value rounds to 0
   */
  public static Target zero(String name, String unit, String missed) {
    return new Target(name, Bound.ZERO, 0, unit, missed);
  }

  /**
   * The same target about one case of what it measures, e.g. {@code scrape at 1k series, text}.
   *
   * @param what the case, appended to the name after a comma
   * @return the target with the longer name, the same limit
   */
  public Target about(String what) {
    return new Target(name + ", " + what, bound, limit, unit, missed);
  }

  /** The goal as the report prints it, e.g. {@code < 200 ns/op}, {@code ≥ 0.97}, {@code 0 B/op}. */
  public String goal() {
    String number = number(limit);
    String value = bound == Bound.ZERO ? number : bound.symbol + " " + number;
    return unit.isEmpty() ? value : value + " " + unit;
  }

  /**
   * Whether a measured value meets the target.
   *
   * @param measured the value, in {@link #unit()}
   * @return true when it compares with the limit as {@link #bound()} requires
   */
  public boolean met(double measured) {
    return switch (bound) {
      case BELOW -> measured < limit;
      case AT_MOST -> measured <= limit;
      case AT_LEAST -> measured >= limit;
      case ZERO -> measured < 0.5;
    };
  }

  /**
   * How far a measured value misses the target.
   *
   * @param measured the value, in {@link #unit()}
   * @return empty when met; else e.g. {@code over by 0.60 ms (12%)}, {@code short by 0.150 (needs
   *     +7.9%)}, or for a limit in percent {@code over by 6.7 percentage points}
   */
  public String gap(double measured) {
    if (met(measured)) {
      return "";
    }
    if (unit.equals("%") && bound != Bound.ZERO && bound != Bound.AT_LEAST) {
      return String.format(Locale.ROOT, "over by %.1f percentage points", measured - limit);
    }
    return switch (bound) {
      case BELOW, AT_MOST ->
          String.format(
              Locale.ROOT,
              "over by %.2f%s (%.0f%%)",
              measured - limit,
              unit.isEmpty() ? "" : " " + unit.replace("/op", ""),
              100 * (measured - limit) / limit);
      case AT_LEAST ->
          String.format(
              Locale.ROOT,
              "short by %.3f (needs +%.1f%%)",
              limit - measured,
              100 * (limit / measured - 1));
      case ZERO -> missed;
    };
  }

  private static String number(double value) {
    return new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT))
        .format(value);
  }
}
