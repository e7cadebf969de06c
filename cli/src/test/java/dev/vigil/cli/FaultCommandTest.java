package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.catalog.CatalogServer;
import dev.vigil.cli.FaultCommandFixture.Run;
import dev.vigil.payments.PaymentsServer;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackPorts;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.StackState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil fault} against a real catalog and payment provider whose admin APIs are recorded in
 * a state directory as {@code ./vigil up} records them (stack.json ports, admin-token).
 */
class FaultCommandTest {

  private static final String TOKEN = "fault-command-test-token-0123456789ab";

  @TempDir static Path stateDir;
  @TempDir static Path dataDir;
  private static PaymentsServer payments;
  private static CatalogServer catalog;

  @BeforeAll
  static void start() throws Exception {
    payments = FaultCommandFixture.payments(TOKEN);
    catalog = FaultCommandFixture.catalog(payments, dataDir, TOKEN);
    StackPorts random = StackPorts.random();
    StackPorts ports =
        new StackPorts(
            catalog.port(),
            payments.port(),
            random.prometheus(),
            random.alertmanager(),
            random.receiver(),
            random.nodeExporter(),
            random.blackboxExporter(),
            random.traceBackend(),
            random.console(),
            catalog.admin().port(),
            payments.admin().port());
    StackLayout layout = new StackLayout(stateDir);
    Files.createDirectories(layout.stateFile().getParent());
    new ObjectMapper()
        .writeValue(
            layout.stateFile().toFile(),
            new StackState(new StackProfile("test", ports, 1, 1, 30, 10, 1), List.of()));
    Files.writeString(layout.adminToken(), TOKEN + "\n");
  }

  @AfterAll
  static void stop() {
    catalog.close();
    payments.close();
  }

  private static Run vigil(String... args) {
    return FaultCommandFixture.vigil(stateDir, args);
  }

  @Test
  void faultsAreSetListedAndClearedOnTheRightServiceWithWhoSetThem() {
    Run paymentErrors =
        vigil("fault", "set", "payment_errors", "--param", "ratio=1", "--ttl", "10m");
    assertThat(paymentErrors.exit()).as(paymentErrors.err()).isZero();
    assertThat(paymentErrors.out())
        .startsWith("payments  payment_errors  target=*  ratio=1")
        .contains("set by operator")
        .contains("expires");
    assertThat(payments.faults().registry().on("payment_errors")).isTrue();

    Run routeErrors =
        vigil("fault", "set", "http_errors", "--target", "/api/products", "--param", "ratio=0.5");
    assertThat(routeErrors.exit()).as(routeErrors.err()).isZero();
    assertThat(catalog.faults().registry().find("http_errors", "/api/products")).isNotNull();

    Run list = vigil("fault", "list");
    assertThat(list.out().lines())
        .hasSize(2)
        .anyMatch(l -> l.startsWith("catalog  http_errors  target=/api/products  ratio=0.5"))
        .anyMatch(l -> l.startsWith("payments  payment_errors"));

    Run clearedOne = vigil("fault", "clear", "http_errors", "--target", "/api/products");
    assertThat(clearedOne.out())
        .isEqualTo("catalog  cleared http_errors on target /api/products\n");
    Run cleared = vigil("fault", "clear");
    assertThat(cleared.exit()).isZero();
    assertThat(cleared.out())
        .isEqualTo(
            "catalog  no fault was active: nothing to clear\npayments  cleared 1 fault(s)\n");
    assertThat(vigil("fault", "list").out()).isEqualTo("no faults active\n");

    Run notActive = vigil("fault", "clear", "cache_disabled");
    assertThat(notActive.exit()).isZero();
    assertThat(notActive.out())
        .isEqualTo("catalog  no cache_disabled was active: nothing to clear\n");
  }

  @Test
  void aBadParameterIsRefusedWithTheServicesExplanation() {
    Run bad = vigil("fault", "set", "http_errors", "--param", "ratio=7");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("catalog answered 400").contains("from 0 to 1");

    Run notANumber = vigil("fault", "set", "http_errors", "--param", "ratio=half");
    assertThat(notANumber.exit()).isEqualTo(2);
    assertThat(notANumber.err()).contains("must be a number");
  }

  @Test
  void aStaleTokenIsReportedAsRefusedNotAsSuccess() throws Exception {
    Path token = new StackLayout(stateDir).adminToken();
    Files.writeString(token, "stale-token\n");
    try {
      Run refused = vigil("fault", "list", "--service", "payments");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("payments answered 401");
    } finally {
      Files.writeString(token, TOKEN + "\n");
    }
  }
}
