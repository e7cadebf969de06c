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

  /** One answer seen by the traffic of the outage test: when it was sent, how long it took. */
  private record Answer(
      String path, long sentNanos, long tookNanos, HttpResponse<String> response) {}

  /**
   * Issue 24, item 4: before, a request already waiting for a pooled connection when the database
   * stopped waited the whole {@code DB_POOL_TIMEOUT} even after the breaker had opened (under load
   * such waiters filled the bulkhead, and then even reads the cache could answer were refused), and
   * readiness turned 200 seconds before requests succeeded. Here the pool (2 connections) is held
   * by two orders waiting on a row lock, so order reads are waiting for a connection when the
   * database stops, and the pool timeout is 20 s, so a request that waits it cannot be mistaken for
   * a slow machine.
   */
  @Test
  void theFirstSecondsOfAnOutageFailFastCachedReadsAnswerAndReadinessWaitsForARealQuery()
      throws Exception {
    long poolTimeoutMillis = 20_000;
    try (CatalogServer catalog =
            start(
                Map.of("DB_POOL_TIMEOUT", Long.toString(poolTimeoutMillis), "DB_POOL_SIZE", "2"));
        CatalogClient client = new CatalogClient(catalog.port())) {
      assertThat(awaitStatus(client, "/readyz", 200)).as("schema migrated").isEqualTo(200);
      for (int id = 1; id <= 4; id++) {
        assertThat(client.get("/api/products/" + id).statusCode()).isEqualTo(200); // cached now
      }
      List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Answer> probes = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.atomic.AtomicBoolean running =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      long stopped;
      long resuming;
      long resumed;
      try (ExecutorService traffic = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 12; i++) {
          // 8 clients read orders (the database), 4 read cached products, 1 polls readiness
          String path = i < 8 ? "/api/orders/999999" : "/api/products/" + (1 + i % 4);
          traffic.submit(() -> send(client, path, running, answers, 0));
        }
        traffic.submit(() -> send(client, "/readyz", running, probes, 50));
        Thread.sleep(500);
        // two orders hold the pool's two connections, waiting on a row lock, so the order reads
        // wait for a connection when the database stops (as under load, when the pool is busy)
        try (Connection holder = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
          holder.setAutoCommit(false);
          try (Statement lock = holder.createStatement()) {
            lock.execute("SELECT stock FROM products WHERE id = 5 FOR UPDATE");
          }
          for (int i = 0; i < 2; i++) {
            traffic.submit(
                () -> {
                  long sent = System.nanoTime();
                  HttpResponse<String> response =
                      client.postJson(
                          "/api/orders", "{\"items\":[{\"product_id\":5,\"quantity\":1}]}");
                  answers.add(new Answer("/api/orders", sent, System.nanoTime() - sent, response));
                  return null;
                });
          }
          awaitMetric(client, "db_connection_pool_active", 2);
          awaitMetric(client, "db_connection_pool_pending", 4);
          postgres.stop(); // terminates the holder's session too
        }
        stopped = System.nanoTime();
        try {
          Thread.sleep(4000);
        } finally {
          resuming = System.nanoTime();
          postgres.resume();
        }
        resumed = System.nanoTime();
        long deadline = resumed + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !servedAgainAfterReady(answers, probes, resumed)) {
          Thread.sleep(100);
        }
        Thread.sleep(1000); // requests sent after readiness turned 200
        running.set(false);
      }

      List<Answer> duringOutage =
          answers.stream()
              .filter(a -> a.sentNanos() >= stopped && a.sentNanos() < resumed)
              .toList();
      long[] outage = duringOutage.stream().mapToLong(Answer::tookNanos).sorted().toArray();
      figure(
          "waiting_at_stop_answered_after_stop_max_seconds",
          answers.stream()
                  .filter(a -> a.sentNanos() < stopped && a.sentNanos() + a.tookNanos() > stopped)
                  .mapToLong(a -> a.sentNanos() + a.tookNanos() - stopped)
                  .max()
                  .orElse(0)
              / 1e9);
      figure("outage_requests", outage.length);
      figure("outage_answer_p50_seconds", outage[outage.length / 2] / 1e9);
      figure("outage_answer_p99_seconds", outage[(int) Math.ceil(outage.length * 0.99) - 1] / 1e9);
      figure("outage_answer_max_seconds", outage[outage.length - 1] / 1e9);
      Answer down =
          probes.stream()
              .filter(p -> p.sentNanos() >= stopped && p.response().statusCode() == 503)
              .findFirst()
              .orElseThrow(() -> new AssertionError("readiness never turned 503 while down"));
      figure(
          "outage_readiness_503_after_stop_seconds",
          (down.sentNanos() + down.tookNanos() - stopped) / 1e9);
      Answer ready =
          probes.stream()
              .filter(p -> p.sentNanos() >= resumed && p.response().statusCode() == 200)
              .findFirst()
              .orElseThrow(() -> new AssertionError("readiness never turned 200 after the start"));
      long readyAt = ready.sentNanos() + ready.tookNanos();
      figure("outage_readiness_200_after_start_seconds", (readyAt - resumed) / 1e9);

      // waited: sent at least 1 s before the database came back, answered only once it was back
      // (before issue 24 item 4, every request waiting for a connection at the stop did)
      List<Answer> waited =
          answers.stream()
              .filter(a -> a.sentNanos() < resuming - TimeUnit.SECONDS.toNanos(1))
              .filter(a -> a.sentNanos() + a.tookNanos() >= resuming)
              .toList();
      figure(
          "waiting_at_stop_requests",
          answers.stream()
              .filter(a -> a.sentNanos() < stopped && a.sentNanos() + a.tookNanos() > stopped)
              .count());
      figure("waited_until_database_back_requests", waited.size());
      org.assertj.core.api.SoftAssertions.assertSoftly(
          softly -> {
            softly
                .assertThat(waited)
                .as(
                    "requests waiting for a connection when the database stopped, and those sent"
                        + " while it was down, are answered while it is down (4 s), not after"
                        + " the pool timeout (%d ms) or its return: %s",
                    poolTimeoutMillis, describe(waited, stopped))
                .isEmpty();
            softly
                .assertThat(
                    answers.stream()
                        .filter(a -> a.response().statusCode() == 503)
                        .filter(
                            a ->
                                a.response().headers().firstValue("Retry-After").isEmpty()
                                    || !a.response()
                                        .headers()
                                        .firstValue("Content-Type")
                                        .orElse("")
                                        .startsWith("application/problem+json"))
                        .toList())
                .as("every refusal is a 503 problem with Retry-After")
                .isEmpty();
            softly
                .assertThat(answers.stream().map(a -> a.response().statusCode()).distinct())
                .as("no other answer than 200, 404 and 503 (never a 500)")
                .isSubsetOf(200, 404, 503);
            List<Answer> cachedReads =
                duringOutage.stream().filter(a -> a.path().startsWith("/api/products/")).toList();
            softly.assertThat(cachedReads).as("cached reads sent during the outage").isNotEmpty();
            softly
                .assertThat(
                    cachedReads.stream()
                        .filter(
                            a ->
                                a.response().statusCode() != 200
                                    || a.response().headers().firstValue("Age").isEmpty()
                                    || !a.response()
                                        .headers()
                                        .firstValue("Cache-Status")
                                        .orElse("")
                                        .startsWith("catalog; hit; ttl="))
                        .map(a -> a.response().statusCode() + " " + a.response().body())
                        .toList())
                .as(
                    "reads the cache can answer keep answering 200, saying their Age and"
                        + " Cache-Status, while the database is down")
                .isEmpty();
            softly
                .assertThat(
                    duringOutage.stream()
                        .filter(a -> a.path().startsWith("/api/orders/"))
                        .filter(a -> a.sentNanos() >= stopped + TimeUnit.SECONDS.toNanos(1))
                        .map(a -> a.response().statusCode())
                        .distinct()
                        .toList())
                .as("database reads are refused 503 while it is down")
                .containsExactly(503);
            List<Answer> afterReady =
                answers.stream()
                    .filter(a -> a.path().startsWith("/api/orders/") && a.sentNanos() > readyAt)
                    .toList();
            softly
                .assertThat(afterReady)
                .as("requests were sent after readiness turned 200")
                .isNotEmpty();
            softly
                .assertThat(
                    afterReady.stream()
                        .filter(a -> a.response().statusCode() != 404)
                        .map(a -> a.response().statusCode() + " " + a.response().body())
                        .toList())
                .as(
                    "once ready, requests succeed (no such order: 404); before, readiness was"
                        + " 200 seconds before they did")
                .isEmpty();
            softly
                .assertThat(
                    probes.stream()
                        .filter(p -> p.sentNanos() > readyAt)
                        .map(p -> p.response().statusCode())
                        .distinct()
                        .toList())
                .as("ready stays ready")
                .containsExactly(200);
          });
    }
  }

  private static Void send(
      CatalogClient client,
      String path,
      java.util.concurrent.atomic.AtomicBoolean running,
      List<Answer> answers,
      long pauseMillis)
      throws Exception {
    while (running.get()) {
      long sent = System.nanoTime();
      HttpResponse<String> response = client.get(path);
      answers.add(new Answer(path, sent, System.nanoTime() - sent, response));
      Thread.sleep(pauseMillis == 0 ? 5 : pauseMillis);
    }
    return null;
  }

  /** Whether readiness turned 200 after {@code resumed} and an order read succeeded after it. */
  private static boolean servedAgainAfterReady(
      List<Answer> answers, List<Answer> probes, long resumed) {
    synchronized (probes) {
      synchronized (answers) {
        return probes.stream()
            .filter(p -> p.sentNanos() >= resumed && p.response().statusCode() == 200)
            .findFirst()
            .map(
                p ->
                    answers.stream()
                        .anyMatch(
                            a ->
                                a.sentNanos() > p.sentNanos() + p.tookNanos()
                                    && a.response().statusCode() == 404))
            .orElse(false);
      }
    }
  }

  private static String describe(List<Answer> slow, long stopped) {
    return slow.stream()
        .limit(5)
        .map(
            a ->
                String.format(
                    java.util.Locale.ROOT,
                    "%s sent %+.2f s after the stop took %.2f s: %d",
                    a.path(),
                    (a.sentNanos() - stopped) / 1e9,
                    a.tookNanos() / 1e9,
                    a.response().statusCode()))
        .toList()
        .toString();
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
