package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Statements slower than VIGIL_SLOW_QUERY count in db_slow_queries_total under their fixed name, on
 * H2 and on PostgreSQL.
 */
class SlowQueryTest {

  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aStatementOverTheThresholdCountsAsSlowUnderItsName(TestDatabase database) throws Exception {
    // a 0 ms threshold makes every statement slow, so the count is exactly the number of executions
    Map<String, String> env = new HashMap<>(database.env(dataDir));
    env.putAll(Map.of("VIGIL_PORT", "0", "VIGIL_SLOW_QUERY", "0ms"));
    try (CatalogServer server = CatalogServer.start(CatalogConfig.fromEnvironment(env));
        CatalogClient client = new CatalogClient(server.port())) {
      double slowBefore = client.metric("db_slow_queries_total", "query", "product_by_id");

      client.get("/api/products/42"); // cache miss: one product_by_id statement
      client.get("/api/products/42"); // cache hit: no statement

      assertThat(client.metric("db_slow_queries_total", "query", "product_by_id"))
          .isEqualTo(slowBefore + 1);
      assertThat(client.metric("db_query_duration_seconds_count", "query", "product_by_id"))
          .isEqualTo(1);
      assertThat(client.metric("db_slow_queries_total", "query", "product_list")).isZero();
    }
  }
}
