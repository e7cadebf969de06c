package dev.vigil.catalog.order;

import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.PostgresServer;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The order guarantees on a real PostgreSQL server. */
class PostgresOrdersTest extends OrdersContract {

  private static PostgresServer postgres;
  private static PaymentsServer payments;
  private static CatalogServer server;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
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
                    "VIGIL_DB_URL",
                    postgres.jdbcUrl(),
                    "VIGIL_DB_USER",
                    "postgres",
                    "VIGIL_TELEMETRY",
                    "metrics")));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    payments.close();
    postgres.close();
  }

  @Override
  CatalogServer server() {
    return server;
  }
}
