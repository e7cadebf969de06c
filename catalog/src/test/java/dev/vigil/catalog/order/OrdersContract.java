package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What orders guarantee on any database; subclasses run it on H2 and on PostgreSQL. */
abstract class OrdersContract {

  /** The running catalog under test. */
  abstract CatalogServer server();

  @Test
  void concurrentOrdersNeverOversellStock() throws Exception {
    try (CatalogClient client = new CatalogClient(server().port())) {
      long scarce = createProduct(client, 25);
      long plenty = createProduct(client, 1000);
      double confirmedBefore =
          client.metric("orders_total", "payment_method", "card", "status", "confirmed");
      double rejectedBefore =
          client.metric("orders_total", "payment_method", "card", "status", "rejected");

      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 60; i++) {
          // lines in both orders of product id, so lock ordering is exercised too
          String items =
              i % 2 == 0
                  ? "[{\"product_id\":"
                      + scarce
                      + ",\"quantity\":1},{\"product_id\":"
                      + plenty
                      + ",\"quantity\":2}]"
                  : "[{\"product_id\":"
                      + plenty
                      + ",\"quantity\":2},{\"product_id\":"
                      + scarce
                      + ",\"quantity\":1}]";
          responses.add(
              buyers.submit(() -> client.postJson("/api/orders", "{\"items\":" + items + "}")));
        }
      }
      int confirmed = 0;
      int rejected = 0;
      for (Future<HttpResponse<String>> f : responses) {
        int status = f.get().statusCode();
        assertThat(status).as(f.get().body()).isIn(201, 409);
        confirmed += status == 201 ? 1 : 0;
        rejected += status == 409 ? 1 : 0;
      }

      assertThat(confirmed).isEqualTo(25);
      assertThat(rejected).isEqualTo(35);
      assertThat(stock(client, scarce)).isZero();
      assertThat(stock(client, plenty)).as("rejected orders take nothing").isEqualTo(1000 - 2 * 25);
      assertThat(client.metric("orders_total", "payment_method", "card", "status", "confirmed"))
          .isEqualTo(confirmedBefore + 25);
      assertThat(client.metric("orders_total", "payment_method", "card", "status", "rejected"))
          .isEqualTo(rejectedBefore + 35);
    }
  }

  @Test
  void aConfirmedOrderIsStoredWithItsLinesAndPrices() throws Exception {
    try (CatalogClient client = new CatalogClient(server().port())) {
      HttpResponse<String> placed =
          client.postJson(
              "/api/orders",
              "{\"items\":[{\"product_id\":12,\"quantity\":2},{\"product_id\":3,\"quantity\":1},"
                  + "{\"product_id\":12,\"quantity\":1}],\"payment_method\":\"paypal\"}");

      assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
      long id = CatalogClient.json(placed).get("id").asLong();
      JsonNode stored = CatalogClient.json(client.get("/api/orders/" + id));
      assertThat(stored.get("status").asText()).isEqualTo("confirmed");
      assertThat(stored.get("payment_method").asText()).isEqualTo("paypal");
      // price_cents = 499 + (id * 37) % 20000: product 3 -> 610, product 12 -> 943
      assertThat(stored.get("items"))
          .extracting(
              l ->
                  l.get("product_id").asLong()
                      + "x"
                      + l.get("quantity").asInt()
                      + "@"
                      + l.get("price_cents").asLong())
          .containsExactly("3x1@610", "12x3@943");
      assertThat(stored.get("total_cents").asLong()).isEqualTo(610 + 3 * 943);
      assertThat(
              client.metric("db_query_duration_seconds_count", "query", "product_stock_decrement"))
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aRetriedOrderWithTheSameIdempotencyKeyAnswersTheFirstOrderInsteadOfPlacingASecond()
      throws Exception {
    try (CatalogClient client = new CatalogClient(server().port())) {
      long product = createProduct(client, 100);
      String body = "{\"items\":[{\"product_id\":" + product + ",\"quantity\":2}]}";
      String key = "retry-" + java.util.UUID.randomUUID();

      HttpResponse<String> first = post(client, body, key);
      HttpResponse<String> retry = post(client, body, key);

      assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
      assertThat(CatalogClient.json(retry).get("id"))
          .isEqualTo(CatalogClient.json(first).get("id"));
      assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
      assertThat(stock(client, product)).as("one order took stock, not two").isEqualTo(98);

      HttpResponse<String> other =
          post(client, "{\"items\":[{\"product_id\":" + product + ",\"quantity\":3}]}", key);
      assertThat(other.statusCode()).as("the key reused for another order").isEqualTo(422);
      assertThat(CatalogClient.json(other).get("detail").asText()).contains("send a new key");
      assertThat(stock(client, product)).isEqualTo(98);
    }
  }

  @Test
  void concurrentRetriesWithOneIdempotencyKeyPlaceOneOrder() throws Exception {
    try (CatalogClient client = new CatalogClient(server().port())) {
      long product = createProduct(client, 100);
      String body = "{\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}";
      String key = "burst-" + java.util.UUID.randomUUID();
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 8; i++) {
          responses.add(clients.submit(() -> post(client, body, key)));
        }
      }
      java.util.Set<Long> ids = new java.util.HashSet<>();
      for (Future<HttpResponse<String>> f : responses) {
        assertThat(f.get().statusCode()).as(f.get().body()).isIn(201, 202);
        ids.add(CatalogClient.json(f.get()).get("id").asLong());
      }
      assertThat(ids).as("every retry names the same order").hasSize(1);
      assertThat(stock(client, product)).isEqualTo(99);
    }
  }

  private static HttpResponse<String> post(CatalogClient client, String body, String key)
      throws Exception {
    return client.send(
        "/api/orders", "POST", "application/json", body, "*/*", "Idempotency-Key", key);
  }

  private static long createProduct(CatalogClient client, int stock) throws Exception {
    HttpResponse<String> created =
        client.postJson(
            "/api/products",
            "{\"name\":\"Limited edition\",\"category\":\"Music\",\"price_cents\":1500,\"stock\":"
                + stock
                + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return CatalogClient.json(created).get("id").asLong();
  }

  private static int stock(CatalogClient client, long id) throws Exception {
    // read past the product cache: it is invalidated by orders, so this is the stored stock
    return CatalogClient.json(client.get("/api/products/" + id)).get("stock").asInt();
  }
}
