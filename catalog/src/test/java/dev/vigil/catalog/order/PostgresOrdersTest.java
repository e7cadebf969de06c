package dev.vigil.catalog.order;

import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.PostgresServer;
import dev.vigil.catalog.config.CatalogConfig;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The order guarantees on a real PostgreSQL server. */
class PostgresOrdersTest extends OrdersContract {

  private static PostgresServer postgres;
  private static CatalogServer server;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    server = CatalogServer.start(CatalogConfig.fromEnvironment(Map.of(
        "VIGIL_PORT", "0", "VIGIL_DB_URL", postgres.jdbcUrl(), "VIGIL_DB_USER", "postgres",
        "VIGIL_TELEMETRY", "metrics")));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    postgres.close();
  }

  @Override
  CatalogServer server() {
    return server;
  }
}
