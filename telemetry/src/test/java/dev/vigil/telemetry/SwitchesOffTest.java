package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** With VIGIL_TELEMETRY=none the service records nothing per request but keeps probes and problems. */
class SwitchesOffTest {

  @Test
  void noneRecordsNothingPerRequestButKeepsProbesAndProblems() throws Exception {
    try (DemoService service = new DemoService(TelemetrySwitches.none())) {
      HttpResponse<String> item = service.get("/items/1");
      assertThat(item.statusCode()).isEqualTo(200);
      assertThat(item.headers().firstValue("X-Request-Id")).as("no request id without instrumentation").isEmpty();

      assertThat(service.get("/metrics").statusCode()).isEqualTo(404);
      assertThat(service.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(service.get("/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> missing = service.get("/nonexistent");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
    }
  }

  @Test
  void metricsAloneCountRequestsAndStillSetRequestIds() throws Exception {
    try (DemoService service = new DemoService(TelemetrySwitches.parse("metrics"))) {
      HttpResponse<String> item = service.get("/items/1");

      assertThat(item.headers().firstValue("X-Request-Id")).isPresent();
      assertThat(service.scrape().value("http_requests_total", "endpoint", "/items/{id}", "method", "GET",
          "status", "200")).isEqualTo(1);
    }
  }
}
