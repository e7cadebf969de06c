package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which objectives a spec may state, at the edges of each range the problems name: strictly between
 * 0 and 100 percent, above 1 (a value up to 1 is a fraction written by mistake), and at most {@link
 * ObjectiveRange#MAX_PERCENT}.
 */
class ObjectiveRangeTest {

  @Test
  void zeroAndOneHundredAreOutOfRange() {
    assertThat(problems("0")).singleElement().asString().contains("is out of range");
    assertThat(problems("-5")).singleElement().asString().contains("is out of range");
    assertThat(problems("100")).singleElement().asString().contains("is out of range");
    assertThat(problems("100.5")).singleElement().asString().contains("is out of range");
  }

  @Test
  void aValueUpToOneReadsAsAFractionAndTheFixGivesThePercentage() {
    assertThat(problems("0.999"))
        .singleElement()
        .asString()
        .contains("looks like a fraction")
        .contains("would allow 99.001% of events to fail")
        .contains("objective: 99.9");
    assertThat(problems("1")).singleElement().asString().contains("looks like a fraction");
  }

  @Test
  void anObjectiveTighterThanFloat64CanMeasureIsRefusedItsLimitAccepted() {
    assertThat(problems("99.99999")).singleElement().asString().contains("too small to measure");
    assertThat(problems(ObjectiveRange.MAX_PERCENT.toPlainString())).isEmpty();
    assertThat(problems("1.0001")).as("just above 1 percent").isEmpty();
    assertThat(problems("99.9")).isEmpty();
  }

  @Test
  void theAnswerSaysWhetherTheObjectiveCanBeUsed() {
    for (String wrong : List.of("0", "100", "0.5", "99.99999")) {
      assertThat(ObjectiveRange.check(new BigDecimal(wrong), (m, f) -> {})).as(wrong).isFalse();
    }
    assertThat(ObjectiveRange.check(new BigDecimal("99.5"), (m, f) -> {})).isTrue();
  }

  private static List<String> problems(String objective) {
    List<String> out = new ArrayList<>();
    ObjectiveRange.check(
        new BigDecimal(objective), (message, fix) -> out.add(message + " | " + fix));
    return out;
  }
}
