package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.config.CatalogConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the database: 503 while PostgreSQL is down or unmigrated, 200 once it is back.
 */
class ReadinessTest {

  @Test
  void readinessFollowsTheDatabaseFromStartToStopAndBack() throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      postgres.stop();
      try (CatalogServer server =
              CatalogServer.start(
                  CatalogConfig.fromEnvironment(
                      Map.of(
                          "VIGIL_PORT",
                          "0",
                          "VIGIL_DB_URL",
                          postgres.jdbcUrl(),
                          "VIGIL_DB_USER",
                          "postgres",
                          "DB_POOL_TIMEOUT",
                          "1000")));
          CatalogClient client = new CatalogClient(server.port())) {
        // started while the database is down: alive, not ready, migrations pending
        assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(client.get("/readyz").statusCode()).isEqualTo(503);
        JsonNode pending =
            CatalogClient.json(client.get("/health/detailed")).get("checks").get("migrations");
        assertThat(pending.get("status").asText()).isEqualTo("unhealthy");
        assertThat(pending.get("error").asText()).startsWith("schema migrations not applied yet");

        // the database comes up: migrations are retried, the starting catalogue is loaded
        postgres.resume();
        awaitStatus(client, "/readyz", 200);
        assertThat(CatalogClient.json(client.get("/api/products/1")).get("name").asText())
            .isEqualTo("Books item 1");

        // the database stops: not ready, dependent requests fail as 503 problems with Retry-After
        // (the
        // client can do nothing about it but retry, and it must not read as the service's own bug),
        // liveness stays
        postgres.stop();
        HttpResponse<String> down = awaitStatus(client, "/readyz", 503);
        assertThat(down.body()).contains("not ready");
        HttpResponse<String> detailed = client.get("/health/detailed");
        assertThat(detailed.statusCode()).isEqualTo(503);
        JsonNode database = CatalogClient.json(detailed).get("checks").get("database");
        assertThat(database.get("status").asText()).isEqualTo("unhealthy");
        assertThat(database.get("error").asText()).isNotBlank();
        assertThat(client.get("/healthz").statusCode())
            .as("liveness does not depend on the database")
            .isEqualTo(200);
        HttpResponse<String> dependent = client.get("/api/products/2");
        assertThat(dependent.statusCode())
            .as("a request needing the database: " + dependent.body())
            .isEqualTo(503);
        assertThat(dependent.headers().firstValue("Retry-After")).isPresent();
        assertThat(client.metricSum("db_errors_total")).isPositive();

        // and returns
        postgres.resume();
        awaitStatus(client, "/readyz", 200);
        // requests follow once the database breaker's next trial succeeds (Database.BREAKER_WAIT, 3
        // s)
        awaitStatus(client, "/api/products/2", 200);
      }
    }
  }

  private static HttpResponse<String> awaitStatus(CatalogClient client, String path, int status)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> last = client.get(path);
    while (last.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      last = client.get(path);
    }
    assertThat(last.statusCode())
        .as("%s never answered %d: %s", path, status, last.body())
        .isEqualTo(status);
    return last;
  }
}
