package dev.vigil.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.Scrape;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpMetrics metrics = new HttpMetrics(registry);

  @Test
  void durationsFallIntoTheDesignBuckets() throws IOException {
    Object route = new Object();
    metrics.recordMatched(route, "GET", "/items/{id}", 200, 0.004);
    metrics.recordMatched(route, "GET", "/items/{id}", 200, 0.3);
    metrics.recordMatched(route, "GET", "/items/{id}", 503, 12.0);

    Scrape scrape = scrape();
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "200",
                "le",
                "0.005"))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "200",
                "le",
                "0.5"))
        .isEqualTo(2);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "200",
                "le",
                "10.0"))
        .isEqualTo(2);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "200",
                "le",
                "+Inf"))
        .isEqualTo(2);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_sum",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "200"))
        .isCloseTo(0.304, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "503",
                "le",
                "+Inf"))
        .as("the 503 lands in its own series, as the seeds' status=~\"5..\" panel reads it")
        .isEqualTo(1);
    assertThat(scrape.series("http_request_duration_seconds_bucket"))
        .filteredOn(s -> s.labels().get("status").equals("503"))
        .extracting(s -> s.labels().get("le"))
        .containsExactly(
            "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5",
            "5.0", "7.5", "10.0", "+Inf");
    assertThat(
            scrape.value(
                "http_errors_total", "endpoint", "/items/{id}", "method", "GET", "status", "503"))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "http_errors_total", "endpoint", "/items/{id}", "method", "GET", "status", "200"))
        .as("2xx responses are not errors")
        .isZero();
  }

  @Test
  void unknownMethodsShareOneLabel() throws IOException {
    metrics.record("BREW", HttpMetrics.NOT_FOUND, 404, 0.001);
    metrics.record("PURGE", HttpMetrics.NOT_FOUND, 404, 0.001);

    assertThat(
            scrape()
                .value(
                    "http_requests_total",
                    "endpoint",
                    "NOT_FOUND",
                    "method",
                    "_OTHER",
                    "status",
                    "404"))
        .isEqualTo(2);
  }

  @Test
  void inFlightGaugeFollowsStartAndFinish() throws IOException {
    metrics.requestStarted();
    metrics.requestStarted();
    metrics.requestFinished();

    assertThat(scrape().value("http_requests_active")).isEqualTo(1);
  }

  @Test
  void exemplarsCarryTheCurrentTraceIdUnlessTurnedOff() throws IOException {
    PrometheusRegistry untracedRegistry = new PrometheusRegistry();
    HttpMetrics untraced = new HttpMetrics(untracedRegistry, false);
    Object route = new Object();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
            .build()) {
      Span span = provider.get("test").spanBuilder("GET /items/{id}").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        metrics.requestStarted();
        metrics.recordMatched(route, "GET", "/items/{id}", 200, 0.004);
        metrics.requestFinished();
        untraced.recordMatched(route, "GET", "/items/{id}", 200, 0.004);
      } finally {
        span.end();
      }
      String traceId = span.getSpanContext().getTraceId();

      assertThat(openMetrics(registry).lines().filter(l -> l.startsWith("http_requests_total{")))
          .singleElement()
          .asString()
          .contains("trace_id=\"" + traceId + "\"");
      assertThat(openMetrics(registry).lines().filter(l -> l.startsWith("http_requests_active")))
          .as("the in-flight gauge carries no exemplar")
          .singleElement()
          .asString()
          .doesNotContain("# {");
      assertThat(openMetrics(untracedRegistry))
          .contains("http_requests_total{")
          .doesNotContain("trace_id");
    }
  }

  private static String openMetrics(PrometheusRegistry from) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getOpenMetricsTextFormatWriter().write(out, from.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private Scrape scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    return Scrape.parse(out.toString(StandardCharsets.UTF_8));
  }
}
