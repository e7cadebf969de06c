package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.TestDatabase;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A slow confirmation worker fills the bounded queue: new orders are refused with a clear 503
 * before anything is reserved or charged, and every acknowledged order's confirmation is still
 * sent, and the orders are still confirmed after a restart (on H2 and on PostgreSQL).
 */
class ConfirmationQueueFullTest {

  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aFullQueueRefusesNewOrdersAndLosesNoAcknowledgedConfirmation(TestDatabase database)
      throws Exception {
    Map<String, String> db = database.env(dataDir);
    try (PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "metrics")).withPort(0),
                Map.of());
        CatalogClient provider = new CatalogClient(payments.port())) {
      List<Long> acknowledged = new ArrayList<>();
      List<HttpResponse<String>> refused = new ArrayList<>();
      int stockBefore;
      try (CatalogServer catalog =
              CatalogServer.start(
                  CatalogConfig.fromEnvironment(
                      with(
                          db,
                          Map.of(
                              "VIGIL_PORT",
                              "0",
                              "VIGIL_TELEMETRY",
                              "metrics",
                              "VIGIL_PAYMENTS_URL",
                              "http://127.0.0.1:" + payments.port(),
                              "VIGIL_CONFIRMATION_QUEUE_CAPACITY",
                              "1",
                              "VIGIL_CONFIRMATION_DELAY",
                              "2s"))));
          CatalogClient client = new CatalogClient(catalog.port())) {
        stockBefore = stock(client, 9);
        // Orders until two are refused, however long each takes on a loaded machine: capacity 1 and
        // one
        // being sent (2 s each), so a refusal comes within a few orders; never more than 12.
        for (int i = 0; i < 12 && refused.size() < 2; i++) {
          HttpResponse<String> order =
              client.postJson(
                  "/api/orders",
                  "{\"items\":[{\"product_id\":9,\"quantity\":1}],\"payment_method\":\"bank_transfer\"}");
          if (order.statusCode() == 201) {
            acknowledged.add(CatalogClient.json(order).get("id").asLong());
          } else {
            refused.add(order);
          }
        }

        assertThat(refused)
            .as("capacity 1, one being sent: the queue fills and refuses")
            .hasSize(2);
        assertThat(refused)
            .allSatisfy(
                order -> {
                  assertThat(order.statusCode()).isEqualTo(503);
                  assertThat(order.headers().firstValue("Retry-After")).contains("1");
                  assertThat(CatalogClient.json(order).get("detail").asText())
                      .contains("confirmation queue is full")
                      .contains("nothing was reserved nor charged");
                });
        assertThat(stock(client, 9))
            .as("refused orders took no stock")
            .isEqualTo(stockBefore - acknowledged.size());
        assertThat(
                provider.metric("payments_total", "method", "bank_transfer", "status", "captured"))
            .as("refused orders were not charged")
            .isEqualTo(acknowledged.size());
        assertThat(client.metric("queue_rejected_total", "queue", "confirmations"))
            .isEqualTo(refused.size());
        assertThat(
                client.metric(
                    "orders_total", "payment_method", "bank_transfer", "status", "queue_full"))
            .isEqualTo(refused.size());
        assertThat(client.metric("queue_capacity", "queue", "confirmations")).isEqualTo(1);
      } // graceful stop: the worker sends what is queued before the catalog closes

      try (CatalogServer restarted =
              CatalogServer.start(
                  CatalogConfig.fromEnvironment(
                      with(db, Map.of("VIGIL_PORT", "0", "VIGIL_TELEMETRY", "none"))));
          CatalogClient client = new CatalogClient(restarted.port())) {
        for (long id : acknowledged) {
          assertThat(CatalogClient.json(client.get("/api/orders/" + id)).get("status").asText())
              .isEqualTo("confirmed");
        }
      }
    }
  }

  @Test
  void everyAcknowledgedConfirmationIsProcessed() throws Exception {
    try (PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0),
                Map.of());
        CatalogServer catalog =
            CatalogServer.start(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_PORT",
                        "0",
                        "VIGIL_DATA_DIR",
                        dataDir.toString(),
                        "VIGIL_TELEMETRY",
                        "metrics",
                        "VIGIL_PAYMENTS_URL",
                        "http://127.0.0.1:" + payments.port())));
        CatalogClient client = new CatalogClient(catalog.port())) {
      for (int i = 0; i < 5; i++) {
        assertThat(
                client
                    .postJson(
                        "/api/orders",
                        "{\"items\":[{\"product_id\":" + (20 + i) + ",\"quantity\":1}]}")
                    .statusCode())
            .isEqualTo(201);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (client.metric("queue_processing_duration_seconds_count", "queue", "confirmations") < 5
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(client.metric("queue_processing_duration_seconds_count", "queue", "confirmations"))
          .isEqualTo(5);
      assertThat(client.metric("queue_depth", "queue", "confirmations")).isZero();
      assertThat(client.metric("queue_failures_total", "queue", "confirmations")).isZero();
    }
  }

  private static Map<String, String> with(Map<String, String> database, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(database);
    env.putAll(more);
    return env;
  }

  private static int stock(CatalogClient client, long productId) throws Exception {
    return CatalogClient.json(client.get("/api/products/" + productId)).get("stock").asInt();
  }
}
