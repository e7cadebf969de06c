package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * With VIGIL_TELEMETRY=none the service records nothing per request but keeps probes and problems.
 */
class SwitchesOffTest {

  @Test
  void noneRecordsNothingPerRequestButKeepsProbesAndProblems() throws Exception {
    try (DemoService service = new DemoService(TelemetrySwitches.none())) {
      HttpResponse<String> item = service.get("/items/1");
      assertThat(item.statusCode()).isEqualTo(200);
      assertThat(item.headers().firstValue("X-Request-Id"))
          .as("no request id without instrumentation")
          .isEmpty();

      assertThat(service.get("/metrics").statusCode()).isEqualTo(404);
      assertThat(service.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(service.get("/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> missing = service.get("/nonexistent");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type"))
          .get()
          .asString()
          .startsWith("application/problem+json");
    }
  }

  @Test
  void metricsAloneCountRequestsAndOnlyEchoTheCallersRequestId() throws Exception {
    try (DemoService service = new DemoService(TelemetrySwitches.parse("metrics"))) {
      HttpResponse<String> item = service.get("/items/1");
      assertThat(item.headers().firstValue("X-Request-Id"))
          .as("nothing reads an id in metrics-only mode: none is generated")
          .isEmpty();

      HttpResponse<String> echoed =
          service.send(
              HttpRequest.newBuilder(URI.create(service.url("/boom")))
                  .header("X-Request-Id", "caller-7")
                  .build());
      assertThat(echoed.headers().firstValue("X-Request-Id")).contains("caller-7");
      assertThat(echoed.body())
          .as("the problem names the caller's id")
          .contains("\"request_id\":\"caller-7\"");

      Scrape scrape = service.scrape();
      assertThat(
              scrape.value(
                  "http_requests_total",
                  "endpoint",
                  "/items/{id}",
                  "method",
                  "GET",
                  "status",
                  "200"))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "http_requests_total", "endpoint", "/boom", "method", "GET", "status", "500"))
          .isEqualTo(1);
      assertThat(scrape.value("http_requests_active"))
          .as("a handler that throws still leaves the gauge")
          .isZero();
    }
  }

  @Test
  void theAccessLogAloneStillGivesEveryRequestAnId() throws Exception {
    try (DemoService service = new DemoService(TelemetrySwitches.parse("access-log"))) {
      assertThat(service.get("/items/1").headers().firstValue("X-Request-Id"))
          .get()
          .asString()
          .matches("[0-9a-f]{32}");
      assertThat(service.get("/metrics").statusCode()).as("metrics are off").isEqualTo(404);
    }
  }
}
