package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DB_POOL_SIZE=1} is accepted by the configuration, so it must work: the schema migrations
 * (Flyway holds two connections at once) take their own connections, not the pool's.
 */
class PoolOfOneTest {

  @TempDir Path dataDir;

  @Test
  void aPoolOfOneConnectionStillMigratesInsteadOfNeverBecomingReady() throws Exception {
    try (CatalogServer catalog =
            CatalogServer.start(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_PORT",
                        "0",
                        "VIGIL_DATA_DIR",
                        dataDir.toString(),
                        "VIGIL_TELEMETRY",
                        "metrics",
                        "DB_POOL_SIZE",
                        "1",
                        "DB_POOL_TIMEOUT",
                        "1000")));
        CatalogClient client = new CatalogClient(catalog.port())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int ready = client.get("/readyz").statusCode();
      while (ready != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        ready = client.get("/readyz").statusCode();
      }

      assertThat(ready).as(client.get("/readyz").body()).isEqualTo(200);
      assertThat(client.get("/api/products/1").statusCode()).isEqualTo(200);
      assertThat(client.metric("db_connection_pool_max", "pool", "catalog"))
          .as("the request pool is still one connection")
          .isEqualTo(1.0);
    }
  }
}
