package dev.vigil.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.Scrape;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty rejects before they reach a route (a missing Host, an HTTP version it will not
 * take) as the operator sees them: answered with a problem, counted in the RED metrics under the
 * endpoint {@value HttpMetrics#REJECTED} with the method and status the caller got, and written to
 * the access log with the path and the same duration. Each test starts its own application, so that
 * the error handler is installed while the test runs.
 */
class RejectedBeforeRoutingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRequestWithoutHostIsA400CountedAndLoggedUnderTheRejectedEndpoint() throws Exception {
    try (InstrumentedApp app = app()) {
      long before = System.nanoTime();
      String raw = raw(app, "GET /products/7 HTTP/1.1\r\nConnection: close\r\n\r\n");
      double clientSeconds = (System.nanoTime() - before) / 1e9;

      assertThat(raw).startsWith("HTTP/1.1 400");
      JsonNode problem = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
      Scrape scrape = app.scrape();
      String[] series = {"method", "GET", "endpoint", HttpMetrics.REJECTED, "status", "400"};
      assertThat(scrape.value("http_requests_total", series)).isEqualTo(1);
      assertThat(scrape.value("http_errors_total", series)).isEqualTo(1);
      double seconds = scrape.value("http_request_duration_seconds_sum", series);
      assertThat(seconds)
          .as("the server's duration lies within what the client measured")
          .isBetween(0.0, clientSeconds);

      assertThat(app.accessLogLines).hasSize(1);
      JsonNode line = JSON.readTree(app.accessLogLines.getFirst());
      assertThat(line.get("method").asText()).isEqualTo("GET");
      assertThat(line.get("endpoint").asText()).isEqualTo(HttpMetrics.REJECTED);
      assertThat(line.get("path").asText()).isEqualTo("/products/7");
      assertThat(line.get("status").asInt()).isEqualTo(400);
      assertThat(line.get("duration_ms").asDouble())
          .as("the access log's milliseconds are the histogram's seconds")
          .isCloseTo(seconds * 1000, org.assertj.core.data.Offset.offset(0.001));
      assertThat(line.get("bytes").asLong())
          .as("the problem body's size")
          .isEqualTo(problem.toString().getBytes(StandardCharsets.UTF_8).length);
      assertThat(problem.get("detail").asText())
          .as("Jetty's own reason reaches the detail, not only the status phrase")
          .startsWith("the server rejected the request before routing it (")
          .doesNotContain("(Bad Request)");
    }
  }

  @Test
  void aRequestLineWithAnHttpVersionJettyWillNotTakeIsA400ClientErrorNotA505() throws Exception {
    try (InstrumentedApp app = app()) {
      String raw =
          raw(app, "GET /products HTTP/7.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

      assertThat(raw).startsWith("HTTP/1.1 400");
      JsonNode problem = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
      assertThat(problem.get("status").asInt()).isEqualTo(400);
      assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
      Scrape scrape = app.scrape();
      assertThat(
              scrape.value(
                  "http_requests_total",
                  "method",
                  HttpMetrics.OTHER_METHOD,
                  "endpoint",
                  HttpMetrics.REJECTED,
                  "status",
                  "400"))
          .as(
              "Jetty gives no method for a line it could not parse: counted under the bounded other")
          .isEqualTo(1);
      assertThat(scrape.series("http_requests_total"))
          .as("no 5xx counted: one line of netcat must not burn the error budget")
          .noneMatch(s -> s.value() > 0 && s.labels().get("status").startsWith("5"));
      assertThat(app.accessLogLines).hasSize(1);
      assertThat(JSON.readTree(app.accessLogLines.getFirst()).get("status").asInt()).isEqualTo(400);
    }
  }

  private static InstrumentedApp app() {
    return new InstrumentedApp(true, config -> config.routes.get("/products/{id}", ctx -> {}));
  }

  /** Sends bytes no well-behaved client would send and returns the raw response. */
  private static String raw(InstrumentedApp app, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
