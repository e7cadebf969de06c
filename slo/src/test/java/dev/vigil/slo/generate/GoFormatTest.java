package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

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
}
