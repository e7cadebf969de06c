package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
  void theTokenIsNeverPrintedAndATooShortOneIsRefusedWithoutEchoingIt() {
    String token = "config-test-token-0123456789abcdef0123";
    PaymentsConfig withToken =
        PaymentsConfig.fromEnvironment(Map.of(PaymentsConfig.TOKEN_VARIABLE, token));

    assertThat(withToken.apiToken()).isEqualTo(token);
    assertThat(withToken.toString()).contains("apiToken=***").doesNotContain(token);
    assertThat(PaymentsConfig.fromEnvironment(Map.of()).toString()).contains("apiToken=unset");
    assertThat(PaymentsConfig.fromEnvironment(Map.of()).withApiToken(token).apiToken())
        .isEqualTo(token);
    assertThatThrownBy(
            () -> PaymentsConfig.fromEnvironment(Map.of(PaymentsConfig.TOKEN_VARIABLE, "tiny-tok")))
        .hasMessageContaining(PaymentsConfig.TOKEN_VARIABLE)
        .hasMessageNotContaining("tiny-tok");
    assertThatThrownBy(() -> PaymentsConfig.fromEnvironment(Map.of()).withApiToken("short"))
        .hasMessageContaining(PaymentsConfig.TOKEN_VARIABLE);
  }

  @Test
  void theLedgerLivesUnderTheDataDirectoryOrInMemoryWithoutOne() {
    PaymentsConfig config =
        PaymentsConfig.fromEnvironment(Map.of("VIGIL_DATA_DIR", "data/../state"));

    assertThat(config.ledgerFile())
        .isEqualTo(Path.of("state").toAbsolutePath().resolve("payments").resolve("ledger.jsonl"));
    assertThat(PaymentsConfig.fromEnvironment(Map.of()).ledgerFile()).isNull();
    assertThat(PaymentsConfig.fromEnvironment(Map.of()).withDataDir(Path.of("/srv/v")).ledgerFile())
        .isEqualTo(Path.of("/srv/v/payments/ledger.jsonl"));
  }

  @Test
  void aFaultSettingIsAcceptedAtTheEdgesOfItsRangeAndRefusedBeyond() {
    assertThat(new Faults.Setting(1, Faults.MAX_LATENCY).active()).isTrue();
    assertThat(new Faults.Setting(0, Duration.ofMillis(1)).active()).isTrue();
    assertThat(new Faults.Setting(0, Duration.ZERO).active()).isFalse();
    assertThatThrownBy(() -> new Faults.Setting(1.0001, Duration.ZERO))
        .hasMessageContaining("failure_rate");
    assertThatThrownBy(() -> new Faults.Setting(-0.0001, Duration.ZERO))
        .hasMessageContaining("failure_rate");
    assertThatThrownBy(() -> new Faults.Setting(0, Faults.MAX_LATENCY.plusMillis(1)))
        .hasMessageContaining("60000 ms");
    assertThatThrownBy(() -> new Faults.Setting(0, Duration.ofMillis(-1)))
        .hasMessageContaining("60000 ms");
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
