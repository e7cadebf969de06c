package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.config.CatalogConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's HTTP API on its embedded H2 database, over real HTTP. */
class CatalogApiTest {

  @TempDir static Path dataDir;

  private static CatalogServer server;
  private static CatalogClient client;

  @BeforeAll
  static void start() {
    server =
        CatalogServer.start(
            CatalogConfig.fromEnvironment(
                Map.of("VIGIL_PORT", "0", "VIGIL_DATA_DIR", dataDir.toString())));
    client = new CatalogClient(server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void theStartingCatalogueFollowsTheContractFormula() throws Exception {
    // category = CATEGORIES[(id-1) % 12] (Books, Electronics, Home, Garden, ...), price = 499 +
    // (id*37) % 20000, stock = 100 + id % 50
    JsonNode first = CatalogClient.json(client.get("/api/products/1"));
    assertThat(first.get("name").asText()).isEqualTo("Books item 1");
    assertThat(first.get("category").asText()).isEqualTo("Books");
    assertThat(first.get("price_cents").asLong()).isEqualTo(536);
    assertThat(first.get("stock").asInt()).isEqualTo(101);

    JsonNode last = CatalogClient.json(client.get("/api/products/1000"));
    assertThat(last.get("name").asText()).isEqualTo("Garden item 1000");
    assertThat(last.get("price_cents").asLong()).isEqualTo(499 + 37000 % 20000);
    assertThat(last.get("stock").asInt()).isEqualTo(100);

    JsonNode page =
        CatalogClient.json(client.get("/api/products?category=Electronics&limit=3&offset=1"));
    assertThat(page.get("items"))
        .extracting(p -> p.get("id").asLong())
        .containsExactly(14L, 26L, 38L);
    assertThat(page.get("count").asInt()).isEqualTo(3);
  }

  @Test
  void productLookupsGoThroughTheCache() throws Exception {
    double hits = client.metric("cache_hits_total", "cache", "products");
    double misses = client.metric("cache_misses_total", "cache", "products");

    for (int i = 0; i < 3; i++) {
      assertThat(client.get("/api/products/500").statusCode()).isEqualTo(200);
    }

    assertThat(client.metric("cache_misses_total", "cache", "products")).isEqualTo(misses + 1);
    assertThat(client.metric("cache_hits_total", "cache", "products")).isEqualTo(hits + 2);
  }

  @Test
  void requestsAreTracedAndTheirLatencyCarriesTheTraceIdAsExemplar() throws Exception {
    HttpResponse<String> response = client.get("/api/products/77");
    String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
    assertThat(traceId).matches("[0-9a-f]{32}");

    HttpResponse<String> openMetrics =
        client.send(
            "/metrics", "GET", "text/plain", "", "application/openmetrics-text; version=1.0.0");
    assertThat(
            openMetrics
                .body()
                .lines()
                .filter(
                    l ->
                        l.startsWith(
                            "http_request_duration_seconds_bucket{endpoint=\"/api/products/{id}\""))
                .filter(l -> l.contains("# {") && l.contains("trace_id=\""))
                .toList())
        .as("an exemplar with a trace id on the route's latency buckets")
        .isNotEmpty();
  }

  @Test
  void aCreatedProductGetsTheNextIdAndIsServed() throws Exception {
    HttpResponse<String> created =
        client.postJson(
            "/api/products",
            "{\"name\":\"Lamp\",\"category\":\"Home\",\"price_cents\":2599,\"stock\":4}");

    assertThat(created.statusCode()).isEqualTo(201);
    long id = CatalogClient.json(created).get("id").asLong();
    assertThat(id).isGreaterThan(1000);
    assertThat(created.headers().firstValue("Location")).contains("/api/products/" + id);
    assertThat(CatalogClient.json(client.get("/api/products/" + id)).get("name").asText())
        .isEqualTo("Lamp");
  }

  @Test
  void theRequestMetricsCountEachRouteTemplateExactly() throws Exception {
    String[] labels = {"endpoint", "/api/products/{id}", "method", "GET", "status", "404"};
    double before = client.metric("http_requests_total", labels);
    double errorsBefore = client.metric("http_errors_total", labels);
    double durationBefore =
        client.metric(
            "http_request_duration_seconds_count",
            "endpoint",
            "/api/products/{id}",
            "method",
            "GET",
            "status",
            "404");

    client.get("/api/products/123456");
    client.get("/api/products/123457");

    assertThat(client.metric("http_requests_total", labels)).isEqualTo(before + 2);
    assertThat(client.metric("http_errors_total", labels)).isEqualTo(errorsBefore + 2);
    assertThat(
            client.metric(
                "http_request_duration_seconds_count",
                "endpoint",
                "/api/products/{id}",
                "method",
                "GET",
                "status",
                "404"))
        .isGreaterThanOrEqualTo(durationBefore + 2);
  }

  @Test
  void thePipelineCountsRecordsAndDeliberateErrors() throws Exception {
    double processed = client.metric("pipeline_records_processed_total");
    double errors = client.metric("pipeline_errors_total");
    double batches = client.metric("pipeline_processing_duration_seconds_count");

    assertThat(
            CatalogClient.json(client.get("/data/process?records=50"))
                .get("records_processed")
                .asInt())
        .isEqualTo(50);
    client.get("/data/process?records=7");
    HttpResponse<String> error = client.get("/data/error");

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(error.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    assertThat(client.metric("pipeline_records_processed_total")).isEqualTo(processed + 57);
    assertThat(client.metric("pipeline_processing_duration_seconds_count")).isEqualTo(batches + 2);
    assertThat(client.metric("pipeline_errors_total")).isEqualTo(errors + 1);
  }

  @Test
  void everyBadInputYieldsItsStatusAndAProblem() throws Exception {
    assertProblem(client.get("/api/products/99999"), 404, null);
    assertProblem(client.get("/api/orders/99999"), 404, null);
    assertProblem(client.get("/nonexistent"), 404, null);
    assertProblem(client.send("/api/products/1", "DELETE", "application/json", ""), 405, null);
    assertProblem(client.postJson("/api/orders", "{\"items\": [ {\"product_id\": 1, "), 400, null);
    assertProblem(client.send("/api/orders", "POST", "text/plain", "product 1 please"), 415, null);
    assertProblem(
        client.postJson(
            "/api/orders",
            "{\"items\":[{\"product_id\":1,\"quantity\":1}],\"note\":\""
                + "x".repeat(1_100_000)
                + "\"}"),
        413,
        null);
    assertProblem(
        client.postJson("/api/orders", "{\"items\":[{\"product_id\":1,\"quantity\":0}]}"),
        422,
        "items[0].quantity");
    assertProblem(
        client.postJson("/api/orders", "{\"items\":[{\"product_id\":1,\"quantity\":\"two\"}]}"),
        422,
        "items[0].quantity");
    assertProblem(client.postJson("/api/orders", "{\"items\":[]}"), 422, "items");
    assertProblem(
        client.postJson(
            "/api/orders",
            "{\"items\":[{\"product_id\":1,\"quantity\":1}],\"payment_method\":\"cash\"}"),
        422,
        "payment_method");
    assertProblem(
        client.postJson(
            "/api/orders",
            "{\"items\":[{\"product_id\":1,\"quantity\":1},{\"product_id\":777777,\"quantity\":1}]}"),
        422,
        "items[1].product_id");
    assertProblem(
        client.postJson(
            "/api/products", "{\"name\":\"\",\"category\":\"Home\",\"price_cents\":1,\"stock\":1}"),
        422,
        "name");
    assertProblem(
        client.postJson(
            "/api/products",
            "{\"name\":\"X\",\"category\":\"Weapons\",\"price_cents\":1,\"stock\":1}"),
        422,
        "category");
    assertProblem(client.get("/api/products?limit=500"), 422, "limit");
    assertProblem(client.get("/api/products/abc"), 422, "id");
    assertProblem(client.get("/data/process?records=10001"), 422, "records");
    JsonNode conflict =
        assertProblem(
            client.postJson("/api/orders", "{\"items\":[{\"product_id\":2,\"quantity\":1000}]}"),
            409,
            null);
    assertThat(conflict.get("product_id").asLong()).isEqualTo(2);
    assertThat(conflict.get("available").asInt()).isEqualTo(102);
    assertThat(CatalogClient.json(client.get("/api/products/2")).get("stock").asInt())
        .as("a rejected order changes nothing")
        .isEqualTo(102);
  }

  private static JsonNode assertProblem(HttpResponse<String> response, int status, String field)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    JsonNode problem = CatalogClient.json(response);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).isNotBlank();
    if (field != null) {
      assertThat(problem.get("field").asText()).isEqualTo(field);
      assertThat(problem.get("detail").asText()).startsWith(field);
    }
    return problem;
  }
}
