package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.Faults;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payment's outcome is unknown (the provider answers after the catalog's timeout): the client
 * is told 202 with the order's URL, never "nothing was charged", and the reconciler settles the
 * order against the provider's ledger once the provider answers again.
 */
class PaymentOutcomeUnknownTest {

  private static final String ORDER =
      "{\"items\":[{\"product_id\":15,\"quantity\":2}],\"payment_method\":\"card\"}";

  @TempDir Path dataDir;

  @Test
  void aPaymentCapturedAfterTheTimeoutIsAnswered202AndConfirmedNeverReportedAsNothingCharged()
      throws Exception {
    try (PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "metrics")).withPort(0),
                Map.of());
        CatalogServer catalog = start(payments);
        CatalogClient client = new CatalogClient(catalog.port());
        CatalogClient provider = new CatalogClient(payments.port())) {
      int stockBefore = stock(client, 15);
      payments.faults().set(new Faults.Setting(0, Duration.ofMillis(1500)));

      HttpResponse<String> placed = client.postJson("/api/orders", ORDER);

      assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
      assertThat(placed.body()).doesNotContain("nothing was charged");
      String location = placed.headers().firstValue("Location").orElseThrow();
      assertThat(CatalogClient.json(placed).get("status").asText()).isEqualTo("pending");
      assertThat(stock(client, 15))
          .as("a pending order holds its stock")
          .isEqualTo(stockBefore - 2);
      assertThat(await(() -> client.metric("orders_pending_overdue"), v -> v == 1))
          .as("the provider still too slow to settle: the order is overdue")
          .isEqualTo(1);

      payments.faults().set(Faults.Setting.NONE);
      JsonNode settled = awaitStatus(client, location, "confirmed");

      assertThat(settled.get("status").asText()).isEqualTo("confirmed");
      assertThat(provider.metric("payments_total", "method", "card", "status", "captured"))
          .as("one capture for the order's three attempts")
          .isEqualTo(1);
      assertThat(stock(client, 15)).isEqualTo(stockBefore - 2);
      assertThat(client.metric("orders_total", "payment_method", "card", "status", "confirmed"))
          .isEqualTo(1);
      assertThat(
              client.metric("orders_total", "payment_method", "card", "status", "payment_failed"))
          .isZero();
      assertThat(await(() -> client.metric("orders_pending_overdue"), v -> v == 0)).isZero();
    }
  }

  @Test
  void anOrderWhosePaymentNeverArrivedIsCancelledAndItsStockGivenBack() throws Exception {
    try (PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "metrics")).withPort(0),
                Map.of());
        CatalogServer catalog = start(payments);
        CatalogClient client = new CatalogClient(catalog.port());
        CatalogClient provider = new CatalogClient(payments.port())) {
      int stockBefore = stock(client, 15);
      payments.faults().set(new Faults.Setting(1, Duration.ofMillis(1500)));

      HttpResponse<String> placed = client.postJson("/api/orders", ORDER);
      assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);

      payments.faults().set(Faults.Setting.NONE);
      JsonNode settled =
          awaitStatus(client, placed.headers().firstValue("Location").orElseThrow(), "cancelled");

      assertThat(settled.get("status").asText()).isEqualTo("cancelled");
      assertThat(stock(client, 15))
          .as("the cancelled order's stock is back")
          .isEqualTo(stockBefore);
      assertThat(provider.metric("payments_total", "method", "card", "status", "captured"))
          .isZero();
      assertThat(provider.metric("payments_total", "method", "none", "status", "voided"))
          .as("its key voided, so a late capture cannot succeed")
          .isEqualTo(1);
      assertThat(client.metric("orders_total", "payment_method", "card", "status", "cancelled"))
          .isEqualTo(1);
    }
  }

  @Test
  void twoCatalogsWithFreshDatabasesNeverConfirmAnOrderAgainstTheOthersPayment(
      @TempDir Path otherDir) throws Exception {
    try (PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "metrics")).withPort(0),
                Map.of());
        CatalogClient provider = new CatalogClient(payments.port())) {
      long[] totals = new long[2];
      Path[] dirs = {dataDir, otherDir};
      String[] bodies = {
        ORDER, "{\"items\":[{\"product_id\":16,\"quantity\":5}],\"payment_method\":\"card\"}"
      };
      for (int i = 0; i < 2; i++) {
        try (CatalogServer catalog = CatalogServer.start(config(payments, dirs[i]));
            CatalogClient client = new CatalogClient(catalog.port())) {
          HttpResponse<String> placed = client.postJson("/api/orders", bodies[i]);
          assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
          assertThat(CatalogClient.json(placed).get("id").asLong())
              .as("both databases start at order 1")
              .isEqualTo(1);
          totals[i] = CatalogClient.json(placed).get("total_cents").asLong();
        }
      }
      assertThat(totals[0]).isNotEqualTo(totals[1]);
      assertThat(provider.metric("payments_total", "method", "card", "status", "captured"))
          .as("order 1 of each database paid on its own, not answered with the other's payment")
          .isEqualTo(2);
    }
  }

  private CatalogServer start(PaymentsServer payments) {
    return CatalogServer.start(config(payments, dataDir));
  }

  private static CatalogConfig config(PaymentsServer payments, Path dir) {
    return CatalogConfig.fromEnvironment(
        Map.of(
            "VIGIL_PORT",
            "0",
            "VIGIL_DATA_DIR",
            dir.toString(),
            "VIGIL_TELEMETRY",
            "metrics",
            "VIGIL_PAYMENTS_URL",
            "http://127.0.0.1:" + payments.port(),
            "VIGIL_PAYMENTS_TIMEOUT",
            "1s",
            "VIGIL_RECONCILE_INTERVAL",
            "500ms"));
  }

  private static JsonNode awaitStatus(CatalogClient client, String location, String status)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonNode order = CatalogClient.json(client.get(location));
    while (!order.get("status").asText().equals(status) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      order = CatalogClient.json(client.get(location));
    }
    return order;
  }

  /** A value read until it satisfies the condition or 60 s passed; the last value read. */
  private static double await(Check read, Predicate<Double> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    double value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      value = read.get();
    }
    return value;
  }

  @FunctionalInterface
  private interface Check {
    double get() throws Exception;
  }

  private static int stock(CatalogClient client, long productId) throws Exception {
    return CatalogClient.json(client.get("/api/products/" + productId)).get("stock").asInt();
  }
}
