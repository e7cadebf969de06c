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
import dev.vigil.stack.StackTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil fault} on the ha topology: two real catalogs (in this JVM) recorded as the stack's
 * two catalog replicas, as {@code ./vigil up --profile ha} records them. A fault is the service's,
 * so it must be on both replicas (HAProxy sends each about half the traffic), cleared from both,
 * and never left on one when the other refuses it.
 */
class FaultCommandHaTest {

  private static final String TOKEN = "fault-command-ha-test-token-0123456789";

  @TempDir static Path stateDir;
  @TempDir static Path brokenStateDir;
  @TempDir static Path dataDir1;
  @TempDir static Path dataDir2;
  private static PaymentsServer payments;
  private static CatalogServer catalog1;
  private static CatalogServer catalog2;

  @BeforeAll
  static void start() throws Exception {
    payments = FaultCommandFixture.payments(TOKEN);
    catalog1 = FaultCommandFixture.catalog(payments, dataDir1, TOKEN);
    catalog2 = FaultCommandFixture.catalog(payments, dataDir2, TOKEN);
    record(stateDir, catalog2.admin().port());
    // the second replica's admin port recorded where nothing listens: it cannot be reached
    record(brokenStateDir, StackPorts.random().console());
  }

  /** Writes the state of an ha stack whose second catalog's admin API is on the given port. */
  private static void record(Path dir, int secondCatalogAdmin) throws IOException {
    StackPorts random = StackPorts.random(StackPorts.HA_NAMES);
    Map<String, Integer> more = new LinkedHashMap<>(random.more());
    more.put("catalog-admin-2", secondCatalogAdmin);
    StackPorts ports =
        new StackPorts(
            catalog1.port(),
            payments.port(),
            random.prometheus(),
            random.alertmanager(),
            random.receiver(),
            random.nodeExporter(),
            random.blackboxExporter(),
            random.traceBackend(),
            random.console(),
            catalog1.admin().port(),
            payments.admin().port(),
            more);
    StackLayout layout = new StackLayout(dir);
    Files.createDirectories(layout.stateFile().getParent());
    new ObjectMapper()
        .writeValue(
            layout.stateFile().toFile(),
            new StackState(
                new StackProfile("ha-test", ports, 1, 1, 30, 10, 1, StackTopology.HA), List.of()));
    Files.writeString(layout.adminToken(), TOKEN + "\n");
  }

  @AfterAll
  static void stop() {
    catalog1.close();
    catalog2.close();
    payments.close();
  }

  private static Run vigil(Path state, String... args) {
    return FaultCommandFixture.vigil(state, args);
  }

  @Test
  void aFaultIsSetListedAndClearedOnEveryCatalogReplica() {
    Run set =
        vigil(
            stateDir,
            "fault",
            "set",
            "http_errors",
            "--target",
            "/api/products",
            "--param",
            "ratio=0.5");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out().lines())
        .hasSize(2)
        .satisfiesExactly(
            l ->
                assertThat(l).startsWith("catalog-1  http_errors  target=/api/products  ratio=0.5"),
            l ->
                assertThat(l)
                    .startsWith("catalog-2  http_errors  target=/api/products  ratio=0.5"));
    assertThat(catalog1.faults().registry().find("http_errors", "/api/products")).isNotNull();
    assertThat(catalog2.faults().registry().find("http_errors", "/api/products")).isNotNull();

    Run list = vigil(stateDir, "fault", "list", "--service", "catalog");
    assertThat(list.out().lines())
        .hasSize(2)
        .anyMatch(l -> l.startsWith("catalog-1  http_errors"))
        .anyMatch(l -> l.startsWith("catalog-2  http_errors"));

    Run cleared = vigil(stateDir, "fault", "clear", "--service", "catalog");
    assertThat(cleared.exit()).as(cleared.err()).isZero();
    assertThat(cleared.out())
        .isEqualTo("catalog-1  cleared 1 fault(s)\ncatalog-2  cleared 1 fault(s)\n");
    assertThat(catalog1.faults().registry().find("http_errors", "/api/products")).isNull();
    assertThat(catalog2.faults().registry().find("http_errors", "/api/products")).isNull();
  }

  @Test
  void aReplicaThatCannotBeReachedLeavesTheFaultOnNoReplica() {
    Run set = vigil(brokenStateDir, "fault", "set", "cache_disabled");
    assertThat(set.exit()).isEqualTo(1);
    assertThat(set.err())
        .contains("catalog-2 admin API at")
        .contains("does not answer")
        .contains("cleared again on catalog-1");
    assertThat(catalog1.faults().registry().on("cache_disabled")).isFalse();
    assertThat(catalog2.faults().registry().on("cache_disabled")).isFalse();

    // clearing goes on past the replica it cannot reach, and says which one that was
    vigil(stateDir, "fault", "set", "cache_disabled");
    assertThat(catalog1.faults().registry().on("cache_disabled")).isTrue();
    Run clear = vigil(brokenStateDir, "fault", "clear", "cache_disabled");
    assertThat(clear.exit()).isEqualTo(1);
    assertThat(clear.out()).isEqualTo("catalog-1  cleared cache_disabled\n");
    assertThat(clear.err()).contains("catalog-2 admin API at").contains("does not answer");
    assertThat(catalog1.faults().registry().on("cache_disabled")).isFalse();
    assertThat(vigil(stateDir, "fault", "clear", "cache_disabled").exit()).isZero();
    assertThat(catalog2.faults().registry().on("cache_disabled")).isFalse();
  }
}
