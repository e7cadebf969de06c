package dev.vigil.slo.generate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * What Prometheus' Go templates print for a value, so generated promtool tests can state the exact
 * annotation text: {@code printf "%.2f"}, {@code printf "%f"} and {@code humanizeDuration}.
 */
final class GoFormat {

  private GoFormat() {}

  /**
   * Go's {@code %.Nf}: the exact binary value rounded half-even to N decimals. Like Go, a negative
   * value that rounds to zero keeps its sign ({@code -0.0}), which {@link BigDecimal} would drop.
   */
  static String fixed(double value, int decimals) {
    boolean negative = Double.compare(value, 0.0) < 0;
    String fast = fixedFast(Math.abs(value), decimals);
    if (fast != null) {
      return negative ? "-" + fast : fast;
    }
    String plain = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return negative && !plain.startsWith("-") ? "-" + plain : plain;
  }

  /** 10^i, exact as doubles and longs. */
  private static final long[] POWERS = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
  };

  /**
   * {@link #fixed} of a value of at least 0 without decimal arithmetic where a double tells how it
   * rounds: {@code magnitude x 10^decimals} is computed with one rounding, so the exact product is
   * within a unit in its last place; unless that product is that close to a half (a tie, or a value
   * a rounding error from one), its nearest integer is the exact product's too.
   *
   * @return the digits, or null when this cannot tell (then BigDecimal decides)
   */
  private static String fixedFast(double magnitude, int decimals) {
    if (decimals < 0 || decimals >= POWERS.length || !(magnitude < 1e15)) {
      return null; // NaN and infinities too
    }
    double scaled = magnitude * POWERS[decimals];
    if (!(scaled < 0x1p52)) {
      return null;
    }
    double floor = Math.floor(scaled);
    double fraction = scaled - floor; // exact: both below 2^52, floor within 1 below
    if (Math.abs(fraction - 0.5) <= Math.ulp(scaled) * 4) {
      return null;
    }
    long units = (long) floor + (fraction > 0.5 ? 1 : 0);
    if (decimals == 0) {
      return Long.toString(units);
    }
    String digits = Long.toString(units % POWERS[decimals]);
    StringBuilder out = new StringBuilder(24).append(units / POWERS[decimals]).append('.');
    for (int i = digits.length(); i < decimals; i++) {
      out.append('0');
    }
    return out.append(digits).toString();
  }

  /**
   * Prometheus' {@code humanizeDuration} for values of at least one second (template/template.go):
   * {@code 1d 2h 3m 4s}, {@code 43m 12s}, or 4 significant digits below a minute.
   */
  static String humanizeDuration(double seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException(
          "durations below 1s are not rendered by vigil's alerts: " + seconds);
    }
    long whole = (long) seconds;
    long s = whole % 60;
    long m = (whole / 60) % 60;
    long h = (whole / 3600) % 24;
    long d = whole / 86400;
    if (d != 0) {
      return d + "d " + h + "h " + m + "m " + s + "s";
    }
    if (h != 0) {
      return h + "h " + m + "m " + s + "s";
    }
    if (m != 0) {
      return m + "m " + s + "s";
    }
    BigDecimal sig =
        new BigDecimal(seconds)
            .round(new MathContext(4, RoundingMode.HALF_EVEN))
            .stripTrailingZeros();
    return sig.toPlainString() + "s";
  }
}
