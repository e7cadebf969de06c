package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Whether releases may ship in each state of the error budget policy, as
 * docs/error-budget-policy.md states it: healthy "approve all planned releases", low releases with
 * extra review and load tests, exhausted "feature freeze: only critical bug fixes and reliability
 * improvements ship".
 */
class ReleaseGateTest {

  @Test
  void releasesShipWhileTheBudgetIsHealthyOrLowAndFreezeWhenItIsExhausted() {
    assertThat(ErrorBudgetPolicy.of(0.8).releasesAllowed()).as("80% remaining (healthy)").isTrue();
    assertThat(ErrorBudgetPolicy.of(0.3).releasesAllowed()).as("30% remaining (low)").isTrue();
    assertThat(ErrorBudgetPolicy.of(0.05).releasesAllowed())
        .as("5% remaining (exhausted)")
        .isFalse();
    assertThat(ErrorBudgetPolicy.of(-0.5).releasesAllowed()).as("overspent by half").isFalse();
  }
}
