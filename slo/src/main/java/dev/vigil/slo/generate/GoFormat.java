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
    String plain = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    boolean negative = Double.compare(value, 0.0) < 0;
    return negative && !plain.startsWith("-") ? "-" + plain : plain;
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
