package dev.vigil.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The telemetry plugin with tracing on: one request's trace id is in its response header, its access-log
 * line and an exemplar of the request metrics, without any trace exporter configured.
 */
class TracedTelemetryPluginTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
  private final Logger accessLogger = (Logger) LoggerFactory.getLogger("http.access");
  private Tracing tracing;
  private Javalin app;

  @BeforeEach
  void start() {
    accessLines.start();
    accessLogger.addAppender(accessLines);
    tracing = Tracing.fromEnvironment("demo", Map.of());
    TelemetryPlugin telemetry = new TelemetryPlugin(TelemetrySwitches.all()).tracing(tracing);
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.registerPlugin(telemetry);
      config.routes.get("/items/{id}", ctx -> ctx.result("item"));
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
    tracing.close();
    accessLogger.detachAppender(accessLines);
  }

  @Test
  void aRequestsTraceIdIsInItsAccessLogLineAndInAnExemplarOfItsMetrics() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/items/3")).build(),
        HttpResponse.BodyHandlers.ofString());
    String traceId = response.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER).orElseThrow();

    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(accessLines.list).anySatisfy(line -> {
      assertThat(line.getMDCPropertyMap()).containsEntry(LogCorrelation.TRACE_ID, traceId);
      assertThat(line.getMDCPropertyMap().get(LogCorrelation.SPAN_ID)).matches("[0-9a-f]{16}");
    });
    String openMetrics = http.send(HttpRequest.newBuilder(uri("/metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(openMetrics.lines()
        .filter(l -> l.startsWith("http_request_duration_seconds_bucket{") && l.contains("endpoint=\"/items/{id}\"")))
        .anySatisfy(l -> assertThat(l).contains("# {").contains("trace_id=\"" + traceId + "\""));
    assertThat(openMetrics.lines().filter(l -> l.startsWith("http_requests_total{") && l.contains("/items/{id}")))
        .anySatisfy(l -> assertThat(l).contains("trace_id=\"" + traceId + "\""));
  }

  @Test
  void theClassicTextFormatCarriesNoExemplars() throws Exception {
    http.send(HttpRequest.newBuilder(uri("/items/4")).build(), HttpResponse.BodyHandlers.ofString());
    String text = http.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();

    assertThat(text).contains("http_request_duration_seconds_bucket").doesNotContain("trace_id");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }
}
