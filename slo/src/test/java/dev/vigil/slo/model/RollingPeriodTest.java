package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A rolling period is the window that ends now: its start and length, computed by hand on a
 * calendar.
 */
class RollingPeriodTest {

  @Test
  void aThirtyDayRollingPeriodEvaluatedOnMarch31StartsOnMarch1AtTheSameTime() {
    Period period = Period.rolling(PromDuration.parse("30d"));
    Instant at = Instant.parse("2026-03-31T12:00:00Z");

    // March 31 minus 30 days: March has 31 days, so March 1, same time of day.
    assertThat(period.start(at)).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(period.length(at)).isEqualTo(Duration.ofSeconds(30 * 86_400));
  }

  @Test
  void aSevenDayRollingPeriodCrossesTheMonthBoundaryAndKeepsItsLengthEverywhere() {
    Period period = Period.rolling(PromDuration.parse("7d"));

    assertThat(period.start(Instant.parse("2026-03-03T06:30:00Z")))
        .isEqualTo(Instant.parse("2026-02-24T06:30:00Z"));
    assertThat(period.length(Instant.parse("2026-02-14T00:00:00Z"))).isEqualTo(Duration.ofDays(7));
  }
}
