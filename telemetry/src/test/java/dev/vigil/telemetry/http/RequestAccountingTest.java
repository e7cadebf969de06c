package dev.vigil.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.Scrape;
import dev.vigil.telemetry.logging.RequestIds;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * How each request is accounted for, over real HTTP: counted, timed in seconds, errors from status
 * 400 on (http_errors_total counts responses with status >= 400), its request id in its problem and
 * nowhere else, its body size in the access log. Expected values come from what the test sent and
 * measured on the client side, not from the instrumentation.
 */
class RequestAccountingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SLEEP_MILLIS = 50;

  @Test
  void withMetricsAloneEveryRequestIsCountedAndFourHundredIsAnError() throws Exception {
    try (InstrumentedApp app =
        new InstrumentedApp(
            false,
            config -> {
              config.routes.get("/ok", ctx -> ctx.result("ok"));
              config.routes.get("/bad", ctx -> ctx.status(400).result("bad"));
              config.routes.get("/moved", ctx -> ctx.status(302).header("Location", "/ok"));
            })) {
      for (String path : new String[] {"/ok", "/bad", "/bad", "/moved"}) {
        app.get(path);
      }

      Scrape scrape = app.scrape();
      assertThat(
              scrape.value(
                  "http_requests_total", "method", "GET", "endpoint", "/ok", "status", "200"))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "http_requests_total", "method", "GET", "endpoint", "/bad", "status", "400"))
          .isEqualTo(2);
      assertThat(
              scrape.value(
                  "http_errors_total", "method", "GET", "endpoint", "/bad", "status", "400"))
          .as("a 400 is an error (status >= 400)")
          .isEqualTo(2);
      assertThat(
              scrape.value(
                  "http_requests_total", "method", "GET", "endpoint", "/moved", "status", "302"))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "http_errors_total", "method", "GET", "endpoint", "/moved", "status", "302"))
          .as("a redirect is no error")
          .isZero();
    }
  }

  @Test
  void theDurationIsRecordedInSecondsBetweenTheHandlersSleepAndTheClientsRoundTrip()
      throws Exception {
    try (InstrumentedApp app =
        new InstrumentedApp(
            false,
            config ->
                config.routes.get(
                    "/slow",
                    ctx -> {
                      Thread.sleep(SLEEP_MILLIS);
                      ctx.result("done");
                    }))) {
      long started = System.nanoTime();
      app.get("/slow");
      double roundTripSeconds = (System.nanoTime() - started) / 1e9;

      double recorded =
          app.scrape()
              .value(
                  "http_request_duration_seconds_sum",
                  "method",
                  "GET",
                  "endpoint",
                  "/slow",
                  "status",
                  "200");
      // Both bounds hold on any machine: the server cannot take less than the handler slept, nor
      // more
      // than the client waited.
      assertThat(recorded).isBetween(SLEEP_MILLIS / 1000.0, roundTripSeconds);
    }
  }

  @Test
  void aServerErrorProblemCarriesTheCallersRequestIdAndOnlyWhenThereIsOne() throws Exception {
    try (InstrumentedApp app =
        new InstrumentedApp(
            false,
            config ->
                config.routes.get(
                    "/boom",
                    ctx -> {
                      throw new IllegalStateException("internal detail");
                    }))) {
      JsonNode identified =
          JSON.readTree(
              app.send(
                      HttpRequest.newBuilder(app.uri("/boom"))
                          .header(RequestIds.HEADER, "req-42")
                          .build())
                  .body());
      assertThat(identified.get("status").asInt()).isEqualTo(500);
      assertThat(identified.get("request_id").asText()).isEqualTo("req-42");
      assertThat(identified.get("detail").asText())
          .isEqualTo(
              "the server failed to handle this request; report the request_id to the operators");

      // With metrics alone no id is generated, so the problem cannot point at one.
      JsonNode anonymous = JSON.readTree(app.get("/boom").body());
      assertThat(anonymous.has("request_id")).isFalse();
      assertThat(anonymous.has("trace_id")).as("tracing is off: no trace to point at").isFalse();
      assertThat(identified.has("trace_id")).as("tracing is off: no trace to point at").isFalse();
      assertThat(anonymous.get("detail").asText())
          .isEqualTo("the server failed to handle this request");
    }
  }

  @Test
  void aRequestIdNeverOutlivesItsRequestOnAReusedThread() throws Exception {
    try (InstrumentedApp app =
        new InstrumentedApp(
            false,
            config ->
                config.routes.get(
                    "/whoami",
                    ctx -> ctx.result(Objects.toString(MDC.get(RequestIds.MDC_KEY), "none"))))) {
      // Platform threads (no virtual threads here): Jetty's pool serves these requests with a few
      // threads.
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> identified =
            app.send(
                HttpRequest.newBuilder(app.uri("/whoami"))
                    .header(RequestIds.HEADER, "req-" + i)
                    .build());
        assertThat(identified.body()).isEqualTo("req-" + i);
        assertThat(app.get("/whoami").body())
            .as("request after req-%s, sent without an id", i)
            .isEqualTo("none");
      }
    }
  }

  @Test
  void theAccessLogAloneStillLogsEveryRequest() throws Exception {
    try (InstrumentedApp app =
        new InstrumentedApp(
            false, true, config -> config.routes.get("/hello", ctx -> ctx.result("hello")))) {
      app.get("/hello");

      assertThat(app.accessLogLines).as("access log lines with metrics off").hasSize(1);
      assertThat(JSON.readTree(app.accessLogLines.getFirst()).get("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void theAccessLogRecordsTheBodyBytesWritten() throws Exception {
    try (InstrumentedApp app =
        new InstrumentedApp(
            true, config -> config.routes.get("/hello", ctx -> ctx.result("hello, world")))) {
      HttpResponse<String> response = app.get("/hello");

      assertThat(response.body()).hasSize(12);
      assertThat(app.accessLogLines).hasSize(1);
      JsonNode line = JSON.readTree(app.accessLogLines.getFirst());
      assertThat(line.get("bytes").asLong()).isEqualTo(12);
      assertThat(line.get("endpoint").asText()).isEqualTo("/hello");
    }
  }
}
