package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TelemetrySwitchesTest {

  @Test
  void unsetMeansEverythingOn() {
    assertThat(TelemetrySwitches.parse(null)).isEqualTo(new TelemetrySwitches(true, true, true));
    assertThat(TelemetrySwitches.parse(" ")).isEqualTo(TelemetrySwitches.all());
  }

  @Test
  void aListTurnsOnExactlyItsElements() {
    assertThat(TelemetrySwitches.parse("metrics, access-log"))
        .isEqualTo(new TelemetrySwitches(true, true, false));
    assertThat(TelemetrySwitches.parse("none")).isEqualTo(TelemetrySwitches.none());
    assertThat(TelemetrySwitches.parse("metrics")).isEqualTo(TelemetrySwitches.metricsOnly());
    assertThat(TelemetrySwitches.none()).isEqualTo(new TelemetrySwitches(false, false, false));
  }

  @Test
  void anUnknownElementIsRejectedWithTheAcceptedValues() {
    assertThatThrownBy(() -> TelemetrySwitches.parse("metrics,logs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VIGIL_TELEMETRY")
        .hasMessageContaining("'logs'")
        .hasMessageContaining("metrics, access-log, tracing");
  }
}
