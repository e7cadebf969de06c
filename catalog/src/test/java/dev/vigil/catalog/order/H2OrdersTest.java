package dev.vigil.catalog.order;

import dev.vigil.catalog.CatalogFixture;
import dev.vigil.catalog.CatalogServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The order guarantees on the embedded H2 file database. */
class H2OrdersTest extends OrdersContract {

  @TempDir static Path dataDir;

  private static CatalogFixture catalog;

  @BeforeAll
  static void start() {
    catalog = CatalogFixture.builder(dataDir).start();
  }

  @AfterAll
  static void stop() {
    if (catalog != null) {
      catalog.close();
    }
  }

  @Override
  CatalogServer server() {
    return catalog.server();
  }
}
