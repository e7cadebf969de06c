package dev.vigil.catalog.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogFixture;
import dev.vigil.catalog.CatalogServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each catalog fault, set through the admin API of a running catalog, produces the symptom it
 * names, seen where an operator sees it: the HTTP answer and the metrics DESIGN.md lists.
 */
class CatalogFaultsTest {

  private static final String TOKEN = "catalog-faults-test";
  private static final int POOL_SIZE = 2;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dataDir;
  private static CatalogFixture catalog;
  private static CatalogServer server;
  private static CatalogClient client;

  @BeforeAll
  static void start() {
    catalog =
        CatalogFixture.builder(dataDir)
            .env("DB_POOL_SIZE", Integer.toString(POOL_SIZE))
            .env("DB_POOL_TIMEOUT", "1000")
            .adminToken(TOKEN)
            .start();
    server = catalog.server();
    client = catalog.client();
  }

  @AfterAll
  static void stop() {
    if (catalog != null) {
      catalog.close();
    }
  }

  @AfterEach
  void clearFaults() throws Exception {
    assertThat(admin("DELETE", "/admin/faults", null).statusCode()).isEqualTo(204);
    // db_unavailable may have opened the database's circuit breaker (the reconciler's failing
    // passes count too): readiness is 200 again once it has closed, after a real query
    await("the catalog is ready again", () -> status("/readyz") == 200);
  }

  @Test
  void httpErrorsAtRatioOneAnswerEveryRequestOfTheRouteWithTheStatusAndTheRedMetricsCountThem()
      throws Exception {
    double before = requests("/api/products", "500");
    double errorsBefore =
        client.metric(
            "http_errors_total", "method", "GET", "endpoint", "/api/products", "status", "500");
    set("http_errors", "{\"target\":\"/api/products\",\"params\":{\"ratio\":1.0}}");

    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = client.get("/api/products");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(CatalogClient.json(r).get("fault").asText()).isEqualTo("http_errors");
    }
    assertThat(client.get("/api/products/1").statusCode()).as("another route").isEqualTo(200);
    await(
        "http_requests_total counts the 5 injected 500s",
        () -> requests("/api/products", "500") == before + 5);
    assertThat(
            client.metric(
                "http_errors_total", "method", "GET", "endpoint", "/api/products", "status", "500"))
        .isEqualTo(errorsBefore + 5);
    assertThat(
            client.metric("vigil_fault_active", "fault", "http_errors", "target", "/api/products"))
        .isEqualTo(1);

    set("http_errors", "{\"params\":{\"ratio\":1,\"status\":503}}");
    assertThat(client.get("/api/products/1").statusCode())
        .as("target * hits every route")
        .isEqualTo(503);
    assertThat(client.get("/healthz").statusCode()).as("but never the probes").isEqualTo(200);
    // readiness also asks the database (an earlier test's outage may leave it unready for a
    // moment); the fault itself never answers it, so it reaches 200 while the fault holds
    HttpResponse<String> ready = client.get("/readyz");
    assertThat(ready.body()).doesNotContain("http_errors");
    await(
        "/readyz answers 200 while http_errors hits every route",
        () -> {
          try {
            return client.get("/readyz").statusCode() == 200;
          } catch (Exception e) {
            return false;
          }
        });
  }

  @Test
  void httpLatencyDelaysTheRouteAndTheDurationHistogramSeesIt() throws Exception {
    assertThat(client.get("/api/products/2").statusCode()).isEqualTo(200);
    await(
        "a fast request is counted in the 0.25 s bucket",
        () -> bucket("/api/products/{id}", "0.25") >= 1);
    double fastBefore = bucket("/api/products/{id}", "0.25");
    double allBefore = bucket("/api/products/{id}", "+Inf");
    set("http_latency", "{\"target\":\"/api/products/{id}\",\"params\":{\"fixed_ms\":300}}");

    long start = System.nanoTime();
    assertThat(client.get("/api/products/2").statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);

    await(
        "the delayed request is counted",
        () -> bucket("/api/products/{id}", "+Inf") == allBefore + 1);
    assertThat(bucket("/api/products/{id}", "0.25"))
        .as("the delayed request is not in the 0.25 s bucket")
        .isEqualTo(fastBefore);
  }

  @Test
  void aSlowStatementHoldsItsConnectionUntilThePoolIsExhausted() throws Exception {
    // another test may have opened the database's circuit breaker (db_unavailable). The requests
    // below must all reach the pool: a half-open breaker lets only two trial calls through and
    // refuses the rest until both have answered, so one success (half open, one trial left) is
    // not enough. Readiness does not say (it asks the pool, not the breaker): read through the
    // breaker until it reports closed.
    await(
        "the database's circuit breaker closes again",
        () -> status("/api/products") == 200 && metric("db_circuit_state", "state", "closed") == 1);
    // held 6 s, so that the window in which every connection is busy outlasts a slow scrape
    set("db_slow_statement", "{\"target\":\"product_by_id\",\"params\":{\"seconds\":6}}");
    set("cache_disabled", "{}");
    assertThat(client.metric("db_connection_pool_max", "pool", "catalog")).isEqualTo(POOL_SIZE);

    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < POOL_SIZE + 2; i++) {
      inFlight.add(
          HTTP.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.port() + "/api/products/" + (10 + i)))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    try {
      await(
          "db_connection_pool_active reaches db_connection_pool_max",
          () -> metric("db_connection_pool_active", "pool", "catalog") >= POOL_SIZE);
    } catch (AssertionError e) {
      // say what the requests got, so that a failure names its cause (a breaker, a shed request)
      StringBuilder answered = new StringBuilder();
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        answered.append(f.isDone() ? f.get().statusCode() + " " + f.get().body() : "still waiting");
        answered.append('\n');
      }
      throw new AssertionError(
          e.getMessage()
              + "\ndb_circuit_state{state=\"closed\"} = "
              + metric("db_circuit_state", "state", "closed")
              + "\nthe requests:\n"
              + answered,
          e);
    }

    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      statuses.add(f.get().statusCode());
    }
    assertThat(statuses)
        .as("requests that waited DB_POOL_TIMEOUT (1 s) for a connection held 6 s are refused")
        .contains(503)
        .contains(200);
    assertThat(client.metric("db_slow_queries_total", "query", "product_by_id"))
        .isGreaterThanOrEqualTo(POOL_SIZE);
  }

  @Test
  void anUnavailableDatabaseFailsRequestsAndReadinessUntilCleared() throws Exception {
    double errorsBefore = client.metricSum("db_errors_total");
    set("db_unavailable", "{}");

    assertThat(client.get("/api/products").statusCode()).isEqualTo(503);
    assertThat(client.get("/readyz").statusCode()).isEqualTo(503);
    assertThat(client.metricSum("db_errors_total")).isGreaterThan(errorsBefore);

    admin("DELETE", "/admin/faults/db_unavailable", null);
    await(
        "the catalog serves again once db_unavailable is cleared",
        () -> status("/api/products") == 200);
    await(
        "ready again once a query succeeds (through the pool, if the breaker opened)",
        () -> status("/readyz") == 200);
  }

  @Test
  void aDisabledCacheMissesEveryRead() throws Exception {
    client.get("/api/products/3");
    double hits = client.metric("cache_hits_total", "cache", "products");
    double misses = client.metric("cache_misses_total", "cache", "products");
    set("cache_disabled", "{}");

    client.get("/api/products/3");
    client.get("/api/products/3");

    assertThat(client.metric("cache_hits_total", "cache", "products")).isEqualTo(hits);
    assertThat(client.metric("cache_misses_total", "cache", "products")).isEqualTo(misses + 2);
    admin("DELETE", "/admin/faults/cache_disabled", null);
    client.get("/api/products/3");
    assertThat(client.metric("cache_hits_total", "cache", "products")).isEqualTo(hits + 1);
  }

  @Test
  void aStalledWorkerLetsTheConfirmationQueueBackUpAndItDrainsOnceCleared() throws Exception {
    set("worker_stalled", "{}");
    String order = "{\"items\":[{\"product_id\":5,\"quantity\":1}],\"payment_method\":\"card\"}";
    for (int i = 0; i < 3; i++) {
      assertThat(client.postJson("/api/orders", order).statusCode()).isEqualTo(201);
    }
    assertThat(client.metric("queue_depth", "queue", "confirmations")).isEqualTo(3);

    admin("DELETE", "/admin/faults/worker_stalled", null);
    await(
        "the confirmation queue drains",
        () -> metric("queue_depth", "queue", "confirmations") == 0);
  }

  @Test
  void aStatementThatDoesNotExistIsRefusedNamingTheOnesThatDo() throws Exception {
    HttpResponse<String> r =
        admin(
            "PUT",
            "/admin/faults/db_slow_statement",
            "{\"target\":\"drop_tables\",\"params\":{\"seconds\":1}}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode problem = CatalogClient.json(r);
    assertThat(problem.get("field").asText()).isEqualTo("target");
    assertThat(problem.get("detail").asText()).contains("product_by_id").contains("order_insert");
  }

  private static void set(String fault, String body) throws Exception {
    HttpResponse<String> r = admin("PUT", "/admin/faults/" + fault, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static HttpResponse<String> admin(String method, String path, String body)
      throws Exception {
    return catalog.admin(method, path, body);
  }

  private static double requests(String endpoint, String status) {
    return metric("http_requests_total", "method", "GET", "endpoint", endpoint, "status", status);
  }

  private static double bucket(String endpoint, String le) {
    return metric(
        "http_request_duration_seconds_bucket",
        "method",
        "GET",
        "endpoint",
        endpoint,
        "status",
        "200",
        "le",
        le); // the requests this test times answer 200
  }

  private static double metric(String name, String... labels) {
    try {
      return client.metric(name, labels);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int status(String path) {
    try {
      return client.get(path).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("within 20 s: " + what).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
