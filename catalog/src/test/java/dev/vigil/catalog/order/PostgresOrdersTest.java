package dev.vigil.catalog.order;

import dev.vigil.catalog.CatalogFixture;
import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The order guarantees on a real PostgreSQL server. */
class PostgresOrdersTest extends OrdersContract {

  @TempDir static Path dataDir;

  private static PostgresServer postgres;
  private static CatalogFixture catalog;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    catalog =
        CatalogFixture.builder(dataDir)
            .env("VIGIL_DB_URL", postgres.jdbcUrl())
            .env("VIGIL_DB_USER", "postgres")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (catalog != null) {
      catalog.close();
    }
    postgres.close();
  }

  @Override
  CatalogServer server() {
    return catalog.server();
  }
}
