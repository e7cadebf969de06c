package dev.vigil.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.logging.AccessLog;
import dev.vigil.telemetry.logging.AsyncLineWriter;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry plugin with tracing on: one request's trace id is in its response header, its
 * access-log line (read from this JVM's stdout, where the plugin's access log writes) and an
 * exemplar of the request metrics, without any trace exporter configured.
 */
class TracedTelemetryPluginTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private PrintStream originalStdout;
  private Tracing tracing;
  private Javalin app;

  @BeforeEach
  void start() {
    AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
    originalStdout = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    tracing = Tracing.fromEnvironment("demo", Map.of());
    TelemetryPlugin telemetry = new TelemetryPlugin(TelemetrySwitches.all()).tracing(tracing);
    app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.registerPlugin(telemetry);
                  config.routes.get("/items/{id}", ctx -> ctx.result("item"));
                })
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
    tracing.close();
    AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
    System.setOut(originalStdout);
  }

  @Test
  void aRequestsTraceIdIsInItsAccessLogLineAndInAnExemplarOfItsMetrics() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/items/3")).build(), HttpResponse.BodyHandlers.ofString());
    String traceId = response.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER).orElseThrow();

    assertThat(traceId).matches("[0-9a-f]{32}");
    JsonNode accessLine =
        awaitAccessLine(traceId)
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no http.access line with trace_id "
                            + traceId
                            + " on stdout:\n"
                            + stdoutText()));
    assertThat(accessLine.get("path").asText()).isEqualTo("/items/3");
    assertThat(accessLine.get(LogCorrelation.SPAN_ID).asText()).matches("[0-9a-f]{16}");
    String openMetrics =
        http.send(
                HttpRequest.newBuilder(uri("/metrics"))
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
                            && l.contains("endpoint=\"/items/{id}\"")))
        .anySatisfy(l -> assertThat(l).contains("# {").contains("trace_id=\"" + traceId + "\""));
    assertThat(
            openMetrics
                .lines()
                .filter(l -> l.startsWith("http_requests_total{") && l.contains("/items/{id}")))
        .anySatisfy(l -> assertThat(l).contains("trace_id=\"" + traceId + "\""));
  }

  @Test
  void theClassicTextFormatCarriesNoExemplars() throws Exception {
    http.send(
        HttpRequest.newBuilder(uri("/items/4")).build(), HttpResponse.BodyHandlers.ofString());
    String text =
        http.send(
                HttpRequest.newBuilder(uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();

    assertThat(text).contains("http_request_duration_seconds_bucket").doesNotContain("trace_id");
  }

  /**
   * The access line of a trace, polled for up to 10 s: it is written after the response is sent.
   */
  private Optional<JsonNode> awaitAccessLine(String traceId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    ObjectMapper json = new ObjectMapper();
    do {
      AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
      for (String text : stdoutText().lines().toList()) {
        JsonNode line = json.readTree(text);
        if (AccessLog.LOGGER.equals(line.path("logger").asText())
            && traceId.equals(line.path(LogCorrelation.TRACE_ID).asText())) {
          return Optional.of(line);
        }
      }
      Thread.sleep(20);
    } while (Instant.now().isBefore(deadline));
    return Optional.empty();
  }

  private String stdoutText() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }
}
