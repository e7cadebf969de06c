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
  void shortensByTheDivisorRoundingUpButNotBelowTheFloor() {
    assertThat(PrometheusDuration.shorten("10m", 30, 10)).isEqualTo("20s");
    assertThat(PrometheusDuration.shorten("5m", 30, 10)).isEqualTo("10s");
    assertThat(PrometheusDuration.shorten("2m", 30, 10)).isEqualTo("10s");
    assertThat(PrometheusDuration.shorten("301s", 30, 1)).isEqualTo("11s");
  }

  @Test
  void neverLengthensADuration() {
    assertThat(PrometheusDuration.shorten("5s", 30, 10)).isEqualTo("5s");
    assertThat(PrometheusDuration.shorten("0s", 30, 10)).isEqualTo("0s");
  }

  @Test
  void rejectsTextThatIsNoDuration() {
    assertThatThrownBy(() -> PrometheusDuration.parse("5 minutes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write it like 30s, 5m or 1h30m");
  }
}
