package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.confirmation.ConfirmationQueue;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.fault.CatalogFaults;
import dev.vigil.catalog.order.OrderApi;
import dev.vigil.catalog.order.OrderOutcomes;
import dev.vigil.catalog.order.OrderRepository;
import dev.vigil.catalog.order.OrderSettlement;
import dev.vigil.catalog.payment.PaymentClient;
import dev.vigil.catalog.pipeline.DataPipeline;
import dev.vigil.catalog.pipeline.PipelineApi;
import dev.vigil.catalog.product.ProductApi;
import dev.vigil.catalog.product.ProductCache;
import dev.vigil.catalog.product.ProductRepository;
import dev.vigil.catalog.rum.RumBeacon;
import dev.vigil.catalog.shop.Storefront;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.errors.ErrorGroup;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that ends in an {@link Error} is answered like any unexpected failure, not by Javalin's
 * own fallback. Before, Javalin set 500 and wrote nothing: a body without a problem detail (the
 * fault suite's "500 (no detail)"), logged only by Javalin as a "Fatal error", never by the
 * service's problem handler nor counted by its error tracker. Over real HTTP against the catalog's
 * own application ({@link App#create}), on H2; the Error is thrown by the product cache's switch,
 * asked on every product read before the database is touched.
 */
class HandlerErrorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void anErrorInAHandlerIsAProblem500WithADetailAndIsTracked() throws Exception {
    CatalogConfig config =
        CatalogConfig.fromEnvironment(Map.of("VIGIL_DATA_DIR", dataDir.toString()));
    TelemetryPlugin telemetry = new TelemetryPlugin(TelemetrySwitches.metricsOnly());
    CatalogFaults faults = CatalogFaults.none();
    try (Tracing tracing = Tracing.off();
        Database database = new Database(config, telemetry.registry(), tracing);
        ConfirmationQueue confirmations =
            new ConfirmationQueue(
                10, Duration.ZERO, tracing, telemetry.registry(), () -> false, telemetry.errors());
        HttpClient http = HttpClient.newHttpClient()) {
      ProductRepository products = new ProductRepository(database);
      ProductCache cache =
          new ProductCache(
              products,
              telemetry.registry(),
              tracing,
              () -> {
                throw new StackOverflowError("thrown while handling GET /api/products/{id}");
              },
              database::knownDown,
              com.github.benmanes.caffeine.cache.Ticker.systemTicker());
      PaymentClient payments =
          new PaymentClient(
              URI.create("http://127.0.0.1:9"), // never called
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              tracing,
              telemetry.registry(),
              null);
      OrderRepository orders = new OrderRepository(database);
      OrderOutcomes outcomes = new OrderOutcomes(telemetry.registry());
      Javalin app =
          App.create(
              telemetry,
              new ProductApi(products, cache),
              new OrderApi(
                  orders,
                  cache,
                  payments,
                  confirmations,
                  new OrderSettlement(orders, payments, cache, confirmations, outcomes),
                  outcomes,
                  tracing,
                  Duration.ofSeconds(1)),
              new PipelineApi(new DataPipeline(telemetry.registry())),
              new Storefront(),
              new RumBeacon(telemetry.registry()),
              "127.0.0.1",
              0,
              Duration.ofSeconds(1),
              config.maxConcurrentRequests(),
              faults,
              config.bodyDeadline(),
              0);
      app.start();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/products/1"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        assertThat(problem.path("status").asInt()).as("body: %s", response.body()).isEqualTo(500);
        assertThat(problem.path("detail").asText())
            .as("body: %s", response.body())
            .contains("failed to handle this request");
        assertThat(telemetry.errors().groups())
            .as("the error tracker's groups")
            .extracting(ErrorGroup::message)
            .anySatisfy(message -> assertThat(message).contains("StackOverflowError"));
      } finally {
        // the client's keep-alive connection would hold Jetty's graceful stop to its timeout
        http.shutdownNow();
        app.stop();
      }
    }
  }
}
