package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog on a real PostgreSQL that stops, or whose rows are held by someone else: every fault
 * is a fast, honest 503 problem with Retry-After (never a 500 after the full pool timeout), load
 * beyond the bulkhead is shed, and readiness follows the database, not the request pool.
 */
class DatabaseFaultsTest {

  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Test
  void aStoppedDatabaseAnswers503FastWithRetryAfterAndReadinessFollowsIt() throws Exception {
    try (CatalogServer catalog = start(Map.of("VIGIL_RECONCILE_INTERVAL", "500ms"));
        CatalogClient client = new CatalogClient(catalog.port())) {
      assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
      postgres.stop();
      long stopped = System.nanoTime();
      try {
        assertThat(awaitStatus(client, "/readyz", 503))
            .as("readiness turns 503 with the database down")
            .isEqualTo(503);
        figure("readiness_503_after_database_stop_seconds", (System.nanoTime() - stopped) / 1e9);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          answers.add(client.get("/api/orders/999999"));
        }
        assertThat(answers)
            .allSatisfy(
                answer -> {
                  assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                  assertThat(answer.headers().firstValue("Content-Type"))
                      .hasValueSatisfying(
                          t -> assertThat(t).startsWith("application/problem+json"));
                  assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                });
        assertThat(client.metric("db_circuit_state", "state", "open"))
            .as("the breaker opened: later requests fail without waiting for the pool")
            .isEqualTo(1);
        assertThat(CatalogClient.json(answers.getLast()).get("detail").asText())
            .contains("circuit breaker open");
        assertThat(awaitNaN(client, "orders_pending_overdue"))
            .as(
                "overdue orders unknown while the database is down, not the last pass's stale 0"
                    + " (which would read as 'nothing overdue')")
            .isNaN();
        assertThat(client.get("/healthz").statusCode())
            .as("alive: restarting would not help")
            .isEqualTo(200);
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
          long start = System.nanoTime();
          assertThat(client.get("/api/orders/999999").statusCode()).isEqualTo(503);
          nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        figure("fast_fail_p50_seconds", nanos[nanos.length / 2] / 1e9);
        figure("fast_fail_p99_seconds", nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e9);
      } finally {
        postgres.resume();
      }
      long resumed = System.nanoTime();
      assertThat(awaitStatus(client, "/readyz", 200))
          .as("ready again once the database is back")
          .isEqualTo(200);
      figure("readiness_200_after_database_start_seconds", (System.nanoTime() - resumed) / 1e9);
      assertThat(awaitStatus(client, "/api/orders/999999", 404))
          .as("requests served again (no such order: 404)")
          .isEqualTo(404);
    }
  }

  @Test
  void anExhaustedPoolAnswers503AfterThePoolTimeoutNot500AndReadinessStays200() throws Exception {
    try (CatalogServer catalog = start(Map.of("DB_POOL_SIZE", "2", "DB_POOL_TIMEOUT", "250"));
        CatalogClient client = new CatalogClient(catalog.port());
        Connection holder = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
      assertThat(awaitStatus(client, "/readyz", 200)).as("schema migrated").isEqualTo(200);
      HttpResponse<String> blocked;
      HttpResponse<String> exhausted;
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<HttpResponse<String>> first;
        holder.setAutoCommit(false);
        try (Statement lock = holder.createStatement()) {
          lock.execute("SELECT stock FROM products WHERE id = 5 FOR UPDATE");
          // these orders take the pool's two connections and wait on the row lock
          first =
              clients.submit(
                  () ->
                      client.postJson(
                          "/api/orders", "{\"items\":[{\"product_id\":5,\"quantity\":1}]}"));
          clients.submit(
              () ->
                  client.postJson(
                      "/api/orders", "{\"items\":[{\"product_id\":5,\"quantity\":1}]}"));
          awaitMetric(client, "db_connection_pool_active", 2);
          long start = System.nanoTime();
          exhausted = client.get("/api/orders/999999");
          figure(
              "pool_exhausted_503_seconds_with_DB_POOL_TIMEOUT_250ms",
              (System.nanoTime() - start) / 1e9);
          assertThat(client.get("/readyz").statusCode())
              .as("readiness has its own connection")
              .isEqualTo(200);
        } finally {
          holder.rollback();
        }
        blocked = first.get(30, TimeUnit.SECONDS);
      }
      assertThat(exhausted.statusCode()).as(exhausted.body()).isEqualTo(503);
      assertThat(exhausted.headers().firstValue("Retry-After")).isPresent();
      assertThat(CatalogClient.json(exhausted).get("detail").asText())
          .contains("pool is exhausted")
          .contains("250 ms");
      assertThat(blocked.statusCode())
          .as("the order that held the connection was answered: " + blocked.body())
          .isNotEqualTo(500);
      assertThat(client.metric("db_circuit_state", "state", "closed"))
          .as("load is not an outage")
          .isEqualTo(1);
    }
  }

  @Test
  void requestsBeyondTheBulkheadAreShedWith503WhileProbesStillAnswer() throws Exception {
    try (CatalogServer catalog = start(Map.of("VIGIL_MAX_CONCURRENT_REQUESTS", "1"));
        CatalogClient client = new CatalogClient(catalog.port());
        Connection holder = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
      assertThat(awaitStatus(client, "/readyz", 200)).as("schema migrated").isEqualTo(200);
      HttpResponse<String> shed;
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<HttpResponse<String>> first;
        holder.setAutoCommit(false);
        try (Statement lock = holder.createStatement()) {
          lock.execute("SELECT stock FROM products WHERE id = 6 FOR UPDATE");
          first =
              clients.submit(
                  () ->
                      client.postJson(
                          "/api/orders", "{\"items\":[{\"product_id\":6,\"quantity\":1}]}"));
          awaitMetric(client, "db_connection_pool_active", 1);
          long start = System.nanoTime();
          shed = client.get("/api/products/1");
          figure("shed_request_seconds", (System.nanoTime() - start) / 1e9);
          assertThat(client.get("/readyz").statusCode()).as("probes are never shed").isEqualTo(200);
        } finally {
          holder.rollback();
        }
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isNotEqualTo(500);
      }
      assertThat(shed.statusCode()).as(shed.body()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).contains("1");
      assertThat(CatalogClient.json(shed).get("detail").asText()).contains("overloaded");
      assertThat(
              client.metric(
                  "http_requests_total", "method", "GET", "endpoint", "_REJECTED", "status", "503"))
          .as("shed requests are counted")
          .isEqualTo(1);
      // The bulkhead frees a place once the server has completed the response, which can be just
      // after the client has read it: with one place, the next request may be shed for that
      // instant. A place that is never given back would shed every later request.
      for (int i = 0; i < 5; i++) {
        assertThat(awaitStatus(client, "/api/products/1", 200))
            .as("each finished request gives its place back")
            .isEqualTo(200);
      }
    }
  }

  /** Prints a measured figure for docs/reliability.md (grep FIGURE in the test's output). */
  static void figure(String name, double value) {
    System.out.printf(java.util.Locale.ROOT, "FIGURE %s %.3f%n", name, value);
  }

  private static CatalogServer start(Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "VIGIL_PORT",
                "0",
                "VIGIL_DB_URL",
                postgres.jdbcUrl(),
                "VIGIL_DB_USER",
                "postgres",
                "VIGIL_TELEMETRY",
                "metrics",
                "DB_POOL_TIMEOUT",
                "1000",
                "VIGIL_PAYMENTS_URL",
                "http://127.0.0.1:9"));
    env.putAll(extra);
    return CatalogServer.start(CatalogConfig.fromEnvironment(env));
  }

  private static int awaitStatus(CatalogClient client, String path, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int last = client.get(path).statusCode();
    while (last != status && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = client.get(path).statusCode();
    }
    return last;
  }

  /** The metric's value once it is NaN, or its last value after 30 s. */
  private static double awaitNaN(CatalogClient client, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    double value = client.metric(name);
    while (!Double.isNaN(value) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      value = client.metric(name);
    }
    return value;
  }

  private static void awaitMetric(CatalogClient client, String name, double value)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.metric(name, "pool", "catalog") < value && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
