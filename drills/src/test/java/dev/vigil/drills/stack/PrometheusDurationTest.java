package dev.vigil.drills.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusDurationTest {

  @Test
  void parsesCompoundDurations() {
    assertThat(PrometheusDuration.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(PrometheusDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PrometheusDuration.parse("1d500ms")).isEqualTo(Duration.ofDays(1).plusMillis(500));
  }

  @Test
  void dividesRoundingUpToWholeSecondsAndNeverBelowOne() {
    assertThat(PrometheusDuration.divide("5m", 30)).isEqualTo("10s");
    assertThat(PrometheusDuration.divide("2m", 30)).isEqualTo("4s");
    assertThat(PrometheusDuration.divide("50s", 30)).isEqualTo("2s");
    assertThat(PrometheusDuration.divide("0s", 30)).isEqualTo("1s");
  }

  @Test
  void rejectsTextThatIsNoDuration() {
    assertThatThrownBy(() -> PrometheusDuration.parse("5 minutes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write it like 30s, 5m or 1h30m");
  }
}
