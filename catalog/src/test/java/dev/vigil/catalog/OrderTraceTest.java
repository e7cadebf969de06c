package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import dev.vigil.payments.ZipkinServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real order through the catalog (its own JVM) and the payment provider, traced into a real
 * Zipkin server: the order's trace id is in its access-log line, in an exemplar on {@code
 * /metrics}, and in Zipkin as one tree across both services and the confirmation queue.
 */
class OrderTraceTest {

  @TempDir static Path dataDir;

  private static ZipkinServer zipkin;
  private static PaymentsServer payments;
  private static CatalogProcess catalog;

  @BeforeAll
  static void start() throws Exception {
    zipkin = ZipkinServer.start();
    Map<String, String> otel =
        Map.of(
            "OTEL_TRACES_EXPORTER", "zipkin",
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkin.spansEndpoint(),
            "OTEL_BSP_SCHEDULE_DELAY", "100");
    payments = PaymentsServer.start(PaymentsConfig.fromEnvironment(otel).withPort(0), otel);
    Map<String, String> env = new HashMap<>(otel);
    env.put("VIGIL_DATA_DIR", dataDir.toString());
    env.put("VIGIL_PAYMENTS_URL", "http://127.0.0.1:" + payments.port());
    catalog = CatalogProcess.start(env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (catalog != null) {
      catalog.process().toHandle().destroy();
      catalog.process().waitFor(60, TimeUnit.SECONDS);
    }
    if (payments != null) {
      payments.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  void anOrdersTraceIdLinksItsLogLineItsExemplarAndItsTraceAcrossBothServicesAndTheQueue()
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> placed =
        http.send(
            HttpRequest.newBuilder(catalogUri("/api/orders"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"items\":[{\"product_id\":5,\"quantity\":2}],\"payment_method\":\"card\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String traceId = placed.headers().firstValue("X-Trace-Id").orElseThrow();

    // 1. the access-log line of this request carries its trace id
    JsonNode access = awaitLogLine(traceId, "http.access");
    assertThat(access.get("endpoint").asText()).isEqualTo("/api/orders");
    assertThat(access.get("span_id").asText()).matches("[0-9a-f]{16}");
    assertThat(
            awaitLogLine(traceId, "dev.vigil.catalog.confirmation.ConfirmationQueue")
                .get("message")
                .asText())
        .as("the worker's log line, on another thread, is in the same trace")
        .startsWith("confirmation of order");

    // 2. an exemplar of the request metrics points at it (OpenMetrics exposition)
    String openMetrics =
        http.send(
                HttpRequest.newBuilder(catalogUri("/metrics"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0")
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(
            openMetrics
                .lines()
                .filter(
                    l ->
                        l.startsWith("http_request_duration_seconds_bucket{")
                            && l.contains("endpoint=\"/api/orders\"")))
        .anySatisfy(l -> assertThat(l).contains("trace_id=\"" + traceId + "\""));

    // 3. Zipkin holds the whole tree
    JsonNode spans = zipkin.trace(traceId, 14);
    JsonNode server = span(spans, "catalog", "post /api/orders");
    assertThat(server.has("parentId")).as("the request starts the trace").isFalse();
    JsonNode createOrder = childOf(spans, server, "create_order");
    JsonNode inventory = childOf(spans, createOrder, "check_inventory");
    childOf(spans, inventory, "product_stock_decrement");
    JsonNode payment = childOf(spans, createOrder, "process_payment");
    assertThat(payment.get("tags").get("order.total_cents").asText()).isNotEmpty();
    JsonNode call = childOf(spans, payment, "post");
    assertThat(call.get("kind").asText()).isEqualTo("CLIENT");
    JsonNode provider = childOf(spans, call, "post /api/payments");
    assertThat(provider.get("localEndpoint").get("serviceName").asText()).isEqualTo("payments");
    JsonNode confirmation = childOf(spans, createOrder, "send_confirmation");
    JsonNode send = childOf(spans, confirmation, "send confirmations");
    JsonNode process = childOf(spans, send, "process confirmations");
    assertThat(process.get("kind").asText()).isEqualTo("CONSUMER");
    assertThat(createOrder.get("tags").get("order.id").asText())
        .isEqualTo(CatalogClient.json(placed).get("id").asText());
  }

  private static JsonNode awaitLogLine(String traceId, String logger) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (JsonNode line : catalog.jsonLinesSoFar()) {
        if (traceId.equals(line.path("trace_id").asText())
            && logger.equals(line.path("logger").asText())) {
          return line;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no log line of "
            + logger
            + " with trace_id "
            + traceId
            + " in:\n"
            + String.join("\n", catalog.lines()));
  }

  private static JsonNode span(JsonNode spans, String service, String name) {
    for (JsonNode span : spans) {
      if (span.get("name").asText().equals(name)
          && span.get("localEndpoint").get("serviceName").asText().equals(service)) {
        return span;
      }
    }
    throw new AssertionError("no span '" + name + "' of " + service + " in " + spans);
  }

  private static JsonNode childOf(JsonNode spans, JsonNode parent, String name) {
    for (JsonNode span : spans) {
      if (span.get("name").asText().equals(name)
          && parent.get("id").asText().equals(span.path("parentId").asText())) {
        return span;
      }
    }
    throw new AssertionError(
        "no span '" + name + "' under '" + parent.get("name").asText() + "' in " + spans);
  }

  private static URI catalogUri(String path) {
    return URI.create("http://127.0.0.1:" + catalog.port() + path);
  }
}
