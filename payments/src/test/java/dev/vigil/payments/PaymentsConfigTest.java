package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentsConfigTest {

  @Test
  void defaultsListenOnLoopbackPort8001WithoutFaults() {
    PaymentsConfig config = PaymentsConfig.fromEnvironment(Map.of());

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8001);
    assertThat(config.faults()).isEqualTo(Faults.Setting.NONE);
  }

  @Test
  void faultsCanBeInjectedFromTheStart() {
    PaymentsConfig config =
        PaymentsConfig.fromEnvironment(
            Map.of("VIGIL_PAYMENTS_FAILURE_RATE", "0.25", "VIGIL_PAYMENTS_LATENCY_MS", "150"));

    assertThat(config.faults()).isEqualTo(new Faults.Setting(0.25, Duration.ofMillis(150)));
  }

  @Test
  void anInvalidValueIsReportedWithItsVariableAndTheAcceptedRange() {
    assertThatThrownBy(
            () -> PaymentsConfig.fromEnvironment(Map.of("VIGIL_PAYMENTS_FAILURE_RATE", "50%")))
        .hasMessageContaining("VIGIL_PAYMENTS_FAILURE_RATE='50%'")
        .hasMessageContaining("a ratio from 0 to 1");
    assertThatThrownBy(() -> PaymentsConfig.fromEnvironment(Map.of("VIGIL_PAYMENTS_PORT", "80000")))
        .hasMessageContaining("VIGIL_PAYMENTS_PORT='80000'")
        .hasMessageContaining("an integer from 0 to 65535");
  }
}
