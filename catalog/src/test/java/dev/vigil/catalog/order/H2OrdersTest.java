package dev.vigil.catalog.order;

import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The order guarantees on the embedded H2 file database. */
class H2OrdersTest extends OrdersContract {

  @TempDir static Path dataDir;

  private static PaymentsServer payments;
  private static CatalogServer server;

  @BeforeAll
  static void start() {
    payments =
        PaymentsServer.start(
            PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0),
            Map.of());
    server =
        CatalogServer.start(
            CatalogConfig.fromEnvironment(
                Map.of(
                    "VIGIL_PAYMENTS_URL",
                    "http://127.0.0.1:" + payments.port(),
                    "VIGIL_PORT",
                    "0",
                    "VIGIL_DATA_DIR",
                    dataDir.toString(),
                    "VIGIL_TELEMETRY",
                    "metrics")));
  }

  @AfterAll
  static void stop() {
    server.close();
    payments.close();
  }

  @Override
  CatalogServer server() {
    return server;
  }
}
