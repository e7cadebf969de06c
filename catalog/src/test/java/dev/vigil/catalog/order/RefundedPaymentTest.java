package dev.vigil.catalog.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.Payment;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog authenticates to the provider, and its reconciler notices a confirmed order whose
 * payment was refunded behind its back. Before: anyone who reached the provider could refund a
 * confirmed order's payment, and the catalog never looked at a confirmed order again.
 */
class RefundedPaymentTest {

  private static final String TOKEN = "refund-test-token-0123456789abcdef0123";
  private static final String ORDER =
      "{\"items\":[{\"product_id\":15,\"quantity\":1}],\"payment_method\":\"card\"}";

  @TempDir Path dataDir;

  @Test
  void aConfirmedOrderWhosePaymentWasRefundedIsCountedAndAnAnonymousVoidIsRefused()
      throws Exception {
    try (PaymentsServer payments =
            PaymentsServer.start(
                PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "metrics"))
                    .withPort(0)
                    .withApiToken(TOKEN)
                    .withDataDir(dataDir.resolve("provider")),
                Map.of());
        CatalogServer catalog =
            CatalogServer.start(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_PORT",
                        "0",
                        "VIGIL_DATA_DIR",
                        dataDir.resolve("catalog").toString(),
                        "VIGIL_TELEMETRY",
                        "metrics",
                        "VIGIL_PAYMENTS_URL",
                        "http://127.0.0.1:" + payments.port(),
                        "VIGIL_PAYMENTS_TOKEN",
                        TOKEN,
                        "VIGIL_RECONCILE_INTERVAL",
                        "300ms")));
        CatalogClient client = new CatalogClient(catalog.port())) {
      HttpResponse<String> placed = client.postJson("/api/orders", ORDER);
      assertThat(placed.statusCode())
          .as("the catalog pays with its token: " + placed.body())
          .isEqualTo(201);
      assertThat(client.metric("orders_confirmed_refunded_total")).as("starts at 0").isZero();
      String key = payments.ledger().payments().getFirst().idempotencyKey();

      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + payments.port()
                                  + "/api/payments/by-key/"
                                  + key
                                  + "/void"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(payments.ledger().find(key)).map(Payment::status).hasValue(Payment.CAPTURED);

      payments.ledger().voidKey(key, "USD"); // a refund made at the provider, outside the catalog
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      double refunded = 0;
      while (refunded == 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        refunded = client.metric("orders_confirmed_refunded_total");
      }

      assertThat(refunded).as("confirmed orders found refunded").isEqualTo(1);
      Thread.sleep(1000); // a few more passes
      assertThat(client.metric("orders_confirmed_refunded_total"))
          .as("each order counted once, not once per pass")
          .isEqualTo(1);
    }
  }
}
