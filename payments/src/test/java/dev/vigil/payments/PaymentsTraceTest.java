package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider's spans arrive in a real Zipkin server, joined to the caller's trace by traceparent.
 */
class PaymentsTraceTest {

  private static final String TRACE_ID = "5af7183fb1d4cf5f2a1b9c0d8e7f6a5b";
  private static final String CALLER_SPAN_ID = "b7ad6b7169203331";

  private static ZipkinServer zipkin;
  private static PaymentsServer payments;

  @BeforeAll
  static void start() throws Exception {
    zipkin = ZipkinServer.start();
    Map<String, String> env =
        Map.of(
            "OTEL_TRACES_EXPORTER", "zipkin",
            "OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkin.spansEndpoint(),
            "OTEL_BSP_SCHEDULE_DELAY", "100");
    payments = PaymentsServer.start(PaymentsConfig.fromEnvironment(env).withPort(0), env);
  }

  @AfterAll
  static void stop() {
    if (payments != null) {
      payments.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  void aPaymentCalledWithTraceparentShowsInZipkinAsAChildOfTheCallersSpan() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + payments.port() + "/api/payments"))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "order-7")
                    .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"amount_cents\":2500,\"method\":\"paypal\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("X-Trace-Id")).contains(TRACE_ID);
    JsonNode span = zipkin.trace(TRACE_ID, 1).get(0);
    assertThat(span.get("parentId").asText()).isEqualTo(CALLER_SPAN_ID);
    assertThat(span.get("kind").asText()).isEqualTo("SERVER");
    assertThat(span.get("localEndpoint").get("serviceName").asText()).isEqualTo("payments");
    assertThat(span.get("name").asText())
        .as("Zipkin lower-cases names")
        .isEqualTo("post /api/payments");
    assertThat(span.get("tags").get("http.route").asText()).isEqualTo("/api/payments");
    assertThat(span.get("tags").get("http.response.status_code").asText()).isEqualTo("201");
  }
}
