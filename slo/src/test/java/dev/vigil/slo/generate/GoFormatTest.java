package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GoFormat} against what Go's {@code fmt.Sprintf} prints (the Go reference outputs are
 * written here by hand from Go's documented behaviour: exact binary value, round half to even, the
 * sign of a negative value kept when it rounds to zero).
 */
class GoFormatTest {

  @Test
  void aNegativeRemainingBudgetThatRoundsToZeroPrintsMinusZeroAsPrometheusDoes() {
    // fmt.Sprintf("%.1f", -0.00001) == "-0.0"; the generated promtool test expected "0.0" and an
    // SLO
    // with an objective below 90% failed its own generated scenario.
    assertThat(GoFormat.fixed(-0.00001, 1)).isEqualTo("-0.0");
    assertThat(GoFormat.fixed(-0.0, 1)).isEqualTo("-0.0");
    assertThat(GoFormat.fixed(0.0, 1)).isEqualTo("0.0");
    assertThat(GoFormat.fixed(-1.25, 1)).isEqualTo("-1.2");
  }

  @Test
  void roundsTheExactBinaryValueHalfToEven() {
    assertThat(GoFormat.fixed(2.675, 2)).as("2.675 is 2.67499... in binary").isEqualTo("2.67");
    assertThat(GoFormat.fixed(0.25, 1)).as("an exact tie goes to even").isEqualTo("0.2");
    assertThat(GoFormat.fixed(0.35, 1)).as("0.35 is 0.34999... in binary").isEqualTo("0.3");
    assertThat(GoFormat.fixed(14.4, 2)).isEqualTo("14.40");
  }

  /**
   * The shortcut {@link GoFormat#fixed} takes without decimal arithmetic against the exact binary
   * value rounded half to even by {@link BigDecimal}: burn rates, budgets and percentages of every
   * size, values a rounding error from a half, exact ties, negatives and zeros.
   */
  @Test
  void printsWhatTheExactDecimalExpansionRoundsTo() {
    Random random = new Random(20261208);
    for (int i = 0; i < 200_000; i++) {
      int decimals = random.nextInt(8);
      double value =
          switch (i % 5) {
            case 0 -> random.nextDouble() * Math.pow(10, random.nextInt(12) - 4);
            case 1 -> -random.nextDouble() * Math.pow(10, random.nextInt(8));
            case 2 -> // a half of the last printed digit, and its neighbours
                Math.nextAfter(
                    (random.nextInt(100_000) + 0.5) / Math.pow(10, decimals),
                    random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
            case 3 -> (random.nextInt(100_000) + 0.5) / Math.pow(2, random.nextInt(6)); // ties
            default -> random.nextInt(2_000) / 100.0 * (random.nextBoolean() ? 1 : -1);
          };
      assertThat(GoFormat.fixed(value, decimals))
          .as("%s to %d decimals", value, decimals)
          .isEqualTo(reference(value, decimals));
    }
  }

  /** The exact binary value rounded half to even, with the sign of a negative value kept. */
  private static String reference(double value, int decimals) {
    String plain = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return Double.compare(value, 0.0) < 0 && !plain.startsWith("-") ? "-" + plain : plain;
  }
}
