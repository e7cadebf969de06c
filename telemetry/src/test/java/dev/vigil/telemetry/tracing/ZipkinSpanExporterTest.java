package dev.vigil.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZipkinSpanExporterTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final Tracing tracing =
      Tracing.of(
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .setResource(
                          Resource.create(
                              Attributes.of(AttributeKey.stringKey("service.name"), "catalog")))
                      .addSpanProcessor(SimpleSpanProcessor.create(spans))
                      .build())
              .build());

  @AfterEach
  void close() {
    tracing.close();
  }

  @Test
  void spansBecomeZipkinV2JsonAsTheOpenTelemetrySpecificationMapsThem() throws Exception {
    try (ActiveSpan server =
        tracing
            .span("POST /api/orders")
            .kind(SpanKind.SERVER)
            .set(TraceAttributes.HTTP_ROUTE, "/api/orders")
            .start()) {
      try (ActiveSpan client =
          new HttpClientTracing(tracing, "payments")
              .start(
                  java.net.http.HttpRequest.newBuilder(),
                  "POST",
                  java.net.URI.create("http://127.0.0.1:8001/api/payments"),
                  1)) {
        client.span().addEvent("retry scheduled");
        HttpClientTracing.recordStatus(client, 503);
      }
      server.span().setAttribute(AttributeKey.stringArrayKey("order.items"), List.of("1", "2"));
    }
    List<SpanData> finished = spans.getFinishedSpanItems();
    JsonNode json = new ObjectMapper().readTree(ZipkinSpanExporter.encode(finished));

    JsonNode client = json.get(0);
    JsonNode server = json.get(1);
    assertThat(server.get("traceId").asText()).matches("[0-9a-f]{32}");
    assertThat(server.get("id").asText()).matches("[0-9a-f]{16}");
    assertThat(server.has("parentId")).isFalse();
    assertThat(server.get("kind").asText()).isEqualTo("SERVER");
    assertThat(server.get("name").asText()).isEqualTo("POST /api/orders");
    assertThat(server.get("localEndpoint").get("serviceName").asText()).isEqualTo("catalog");
    assertThat(server.get("tags").get("http.route").asText()).isEqualTo("/api/orders");
    assertThat(server.get("tags").get("order.items").asText()).isEqualTo("[\"1\",\"2\"]");
    assertThat(server.get("timestamp").asLong()).isGreaterThan(1_600_000_000_000_000L);

    assertThat(client.get("parentId").asText()).isEqualTo(server.get("id").asText());
    assertThat(client.get("traceId").asText()).isEqualTo(server.get("traceId").asText());
    assertThat(client.get("kind").asText()).isEqualTo("CLIENT");
    assertThat(client.get("remoteEndpoint").get("serviceName").asText()).isEqualTo("payments");
    assertThat(client.get("tags").get("http.response.status_code").asText()).isEqualTo("503");
    assertThat(client.get("tags").get("http.request.resend_count").asText()).isEqualTo("1");
    assertThat(client.get("tags").get("otel.status_code").asText()).isEqualTo("ERROR");
    assertThat(client.get("tags").get("error").asText()).isEqualTo("the server answered 503");
    assertThat(client.get("annotations").get(0).get("value").asText()).isEqualTo("retry scheduled");
    assertThat(client.get("duration").asLong()).isPositive();
  }

  @Test
  void internalSpansHaveNoKind() throws Exception {
    try (ActiveSpan span = tracing.span("check_inventory").start()) {
      span.set(TraceAttributes.ORDER_ID, 42L);
    }
    JsonNode json =
        new ObjectMapper().readTree(ZipkinSpanExporter.encode(spans.getFinishedSpanItems()));
    assertThat(json.get(0).has("kind")).isFalse();
    assertThat(json.get(0).get("tags").get("order.id").asText()).isEqualTo("42");
  }

  @Test
  void otelTracesExporterZipkinSelectsThisExporter() {
    try (Tracing zipkin =
        Tracing.fromEnvironment(
            "catalog",
            Map.of(
                "OTEL_TRACES_EXPORTER", "zipkin",
                "OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://127.0.0.1:9/api/v2/spans"))) {
      assertThat(zipkin.openTelemetry().toString())
          .contains("ZipkinSpanExporter{endpoint=http://127.0.0.1:9/api/v2/spans}");
    }
  }
}
