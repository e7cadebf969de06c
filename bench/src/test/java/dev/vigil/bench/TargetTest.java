package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void theGoalIsPrintedFromTheLimit() {
    assertThat(Target.below("slo", 3000, "ms").goal()).isEqualTo("< 3,000 ms");
    assertThat(Target.below("hot", 200, "ns/op").goal()).isEqualTo("< 200 ns/op");
    assertThat(Target.atLeast("ratio", 0.97).goal()).isEqualTo("≥ 0.97");
    assertThat(Target.atMost("rss", 0.5).goal()).isEqualTo("≤ 0.5");
    assertThat(Target.zero("alloc", "B/op", "allocates").goal()).isEqualTo("0 B/op");
  }

  @Test
  void theEdgeOfEachBoundIsWhereTheGoalSaysItIs() {
    Target below = Target.below("p99", 5, "ms");
    Target atMost = Target.atMost("rss", 0.5);
    Target atLeast = Target.atLeast("ratio", 0.95);
    Target zero = Target.zero("alloc", "B/op", "allocates per request");

    assertThat(below.met(4.99)).isTrue();
    assertThat(below.met(5)).isFalse();
    assertThat(atMost.met(0.5)).isTrue();
    assertThat(atMost.met(0.51)).isFalse();
    assertThat(atLeast.met(0.95)).isTrue();
    assertThat(atLeast.met(0.949)).isFalse();
    assertThat(zero.met(0.4)).isTrue();
    assertThat(zero.met(24)).isFalse();
  }

  @Test
  void aMissSaysByHowMuchInTheTargetsUnit() {
    // 5.6 ms against < 5 ms: 0.6 ms over, 12% of the limit
    assertThat(Target.below("p99", 5, "ms").gap(5.6)).isEqualTo("over by 0.60 ms (12%)");
    // 1.55 against >= 2: short by 0.45, and 2 / 1.55 - 1 = 29.0% more is needed
    assertThat(Target.atLeast("ratio", 2).gap(1.55)).isEqualTo("short by 0.450 (needs +29.0%)");
    assertThat(Target.zero("alloc", "B/op", "allocates per request").gap(24))
        .isEqualTo("allocates per request");
    assertThat(Target.below("p99", 5, "ms").gap(4)).isEmpty();
    // a limit in percent misses by percentage points, not by a percentage of itself
    assertThat(new Target("difference", Target.Bound.AT_MOST, 10, "%", "").gap(16.7))
        .isEqualTo("over by 6.7 percentage points");
  }

  @Test
  void aCaseOfATargetKeepsItsLimit() {
    Target text = Target.below("scrape at 1k series", 5, "ms").about("text");

    assertThat(text.name()).isEqualTo("scrape at 1k series, text");
    assertThat(text.goal()).isEqualTo("< 5 ms");
  }
}
