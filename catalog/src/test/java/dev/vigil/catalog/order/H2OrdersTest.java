package dev.vigil.catalog.order;

import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.config.CatalogConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The order guarantees on the embedded H2 file database. */
class H2OrdersTest extends OrdersContract {

  @TempDir
  static Path dataDir;

  private static CatalogServer server;

  @BeforeAll
  static void start() {
    server = CatalogServer.start(CatalogConfig.fromEnvironment(Map.of(
        "VIGIL_PORT", "0", "VIGIL_DATA_DIR", dataDir.toString(), "VIGIL_TELEMETRY", "metrics")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  CatalogServer server() {
    return server;
  }
}
