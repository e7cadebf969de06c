package dev.vigil.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

  @Test
  void withoutAnEndpointSpansAreStillRecordedAndSampledForLogsAndExemplars() {
    try (Tracing tracing = Tracing.fromEnvironment("catalog", Map.of());
        ActiveSpan span = tracing.span("create_order").start()) {
      assertThat(tracing.enabled()).isTrue();
      assertThat(span.span().isRecording()).isTrue();
      assertThat(span.span().getSpanContext().isSampled()).isTrue();
      assertThat(span.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      assertThat(((ReadableSpan) span.span()).toSpanData().getResource().getAttributes().asMap())
          .containsValue("catalog");
    }
  }

  @Test
  void otelServiceNameWinsOverTheServicesDefault() {
    try (Tracing tracing =
            Tracing.fromEnvironment("catalog", Map.of("OTEL_SERVICE_NAME", "catalog-canary"));
        ActiveSpan span = tracing.span("x").start()) {
      assertThat(((ReadableSpan) span.span()).toSpanData().getResource().getAttributes().asMap())
          .containsValue("catalog-canary");
    }
  }

  @Test
  void withoutOtelVariablesTheSdkHasTheDefaultsTheAutoconfigurationWouldGive() {
    // OTEL_TRACES_SAMPLER set to its default value takes the autoconfiguration path
    try (Tracing direct = Tracing.fromEnvironment("catalog", Map.of());
        Tracing configured =
            Tracing.fromEnvironment(
                "catalog", Map.of("OTEL_TRACES_SAMPLER", "parentbased_always_on"));
        ActiveSpan a = direct.span("x").start();
        ActiveSpan b = configured.span("x").start()) {
      assertThat(resource(a))
          .containsAllEntriesOf(
              Map.of(
                  "service.name",
                  "catalog",
                  "telemetry.sdk.language",
                  "java",
                  "telemetry.sdk.name",
                  "opentelemetry"));
      assertThat(resource(b)).containsAllEntriesOf(resource(a));
      assertThat(direct.openTelemetry().getPropagators().getTextMapPropagator().fields())
          .containsExactlyInAnyOrderElementsOf(
              configured.openTelemetry().getPropagators().getTextMapPropagator().fields())
          .contains("traceparent", "baggage");
      assertThat(a.span().getSpanContext().isSampled())
          .isEqualTo(b.span().getSpanContext().isSampled())
          .isTrue();
    }
  }

  @Test
  void aDocumentedOtelVariableStillConfiguresTheSdk() {
    try (Tracing tracing =
            Tracing.fromEnvironment("catalog", Map.of("OTEL_TRACES_SAMPLER", "always_off"));
        ActiveSpan span = tracing.span("x").start()) {
      assertThat(span.span().getSpanContext().isSampled()).isFalse();
    }
  }

  @Test
  void anInvalidOtelVariableIsReportedByName() {
    assertThatThrownBy(
            () -> Tracing.fromEnvironment("catalog", Map.of("OTEL_TRACES_SAMPLER", "sometimes")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("sometimes");
  }

  @Test
  void aW3cTraceparentBecomesTheParentOfTheNextSpan() {
    try (Tracing tracing = Tracing.fromEnvironment("payments", Map.of());
        ActiveSpan span =
            tracing
                .span("POST /api/payments")
                .parent(tracing.extract(Map.of("traceparent", TRACEPARENT)::get))
                .start()) {
      assertThat(span.traceId()).isEqualTo(TRACE_ID);
      assertThat(((ReadableSpan) span.span()).getParentSpanContext().getSpanId())
          .isEqualTo(PARENT_SPAN_ID);
    }
  }

  @Test
  void aMalformedTraceparentStartsANewTrace() {
    try (Tracing tracing = Tracing.fromEnvironment("payments", Map.of());
        ActiveSpan span =
            tracing
                .span("x")
                .parent(tracing.extract(Map.of("traceparent", "garbage")::get))
                .start()) {
      assertThat(span.span().getSpanContext().isValid()).isTrue();
      assertThat(((ReadableSpan) span.span()).getParentSpanContext().isValid()).isFalse();
    }
  }

  @Test
  void logLinesInsideASpanCarryItsIdsAndTheOuterIdsComeBackAfterwards() {
    try (Tracing tracing = Tracing.fromEnvironment("catalog", Map.of())) {
      try (ActiveSpan outer = tracing.span("create_order").start()) {
        String outerSpanId = outer.span().getSpanContext().getSpanId();
        assertThat(MDC.get(LogCorrelation.TRACE_ID)).isEqualTo(outer.traceId());
        assertThat(MDC.get(LogCorrelation.SPAN_ID)).isEqualTo(outerSpanId);
        try (ActiveSpan inner = tracing.span("check_inventory").start()) {
          assertThat(MDC.get(LogCorrelation.TRACE_ID)).isEqualTo(outer.traceId());
          assertThat(MDC.get(LogCorrelation.SPAN_ID))
              .isEqualTo(inner.span().getSpanContext().getSpanId());
        }
        assertThat(MDC.get(LogCorrelation.SPAN_ID)).isEqualTo(outerSpanId);
      }
      assertThat(MDC.get(LogCorrelation.TRACE_ID)).isNull();
      assertThat(MDC.get(LogCorrelation.SPAN_ID)).isNull();
    }
  }

  @Test
  void aSpanOfAnotherTraceInsideASpanLogsItsOwnTraceIdAndGivesTheOuterOneBack() {
    try (Tracing tracing = Tracing.fromEnvironment("catalog", Map.of());
        ActiveSpan outer = tracing.span("drain_queue").start()) {
      String outerSpanId = outer.span().getSpanContext().getSpanId();
      try (ActiveSpan remote =
          tracing
              .span("process confirmations")
              .parent(tracing.extract(Map.of("traceparent", TRACEPARENT)::get))
              .start()) {
        assertThat(MDC.get(LogCorrelation.TRACE_ID)).isEqualTo(TRACE_ID);
        assertThat(MDC.get(LogCorrelation.SPAN_ID))
            .isEqualTo(remote.span().getSpanContext().getSpanId());
      }
      assertThat(MDC.get(LogCorrelation.TRACE_ID)).isEqualTo(outer.traceId());
      assertThat(MDC.get(LogCorrelation.SPAN_ID)).isEqualTo(outerSpanId);
    }
  }

  @Test
  void aQueueHandoffContinuesTheTraceOnTheWorkerThread() throws Exception {
    try (Tracing tracing = Tracing.fromEnvironment("catalog", Map.of())) {
      QueueHandoff handoff = new QueueHandoff(tracing, "confirmations");
      Map<String, String> carrier;
      String producerSpanId;
      String traceId;
      try (ActiveSpan request = tracing.span("send_confirmation").start();
          ActiveSpan send = handoff.send()) {
        carrier = handoff.carrier();
        producerSpanId = send.span().getSpanContext().getSpanId();
        traceId = request.traceId();
      }
      AtomicReference<ReadableSpan> consumed = new AtomicReference<>();
      CompletableFuture.runAsync(
              () -> {
                try (ActiveSpan process = handoff.process(carrier)) {
                  consumed.set((ReadableSpan) process.span());
                }
              },
              r -> Thread.ofVirtual().start(r))
          .get();
      assertThat(carrier).containsKey("traceparent");
      assertThat(consumed.get().getSpanContext().getTraceId()).isEqualTo(traceId);
      assertThat(consumed.get().getParentSpanContext().getSpanId()).isEqualTo(producerSpanId);
      assertThat(consumed.get().getName()).isEqualTo("process confirmations");
    }
  }

  @Test
  void offRecordsNothingAndLeavesTheLogContextAlone() {
    Tracing tracing = Tracing.off();
    QueueHandoff handoff = new QueueHandoff(tracing, "confirmations");
    try (ActiveSpan span = tracing.span("create_order").start()) {
      assertThat(tracing.enabled()).isFalse();
      assertThat(span.span().getSpanContext().isValid()).isFalse();
      assertThat(MDC.get(LogCorrelation.TRACE_ID)).isNull();
      assertThat(handoff.carrier()).isEmpty();
    }
  }

  private static Map<String, String> resource(ActiveSpan span) {
    Map<String, String> attributes = new HashMap<>();
    ((ReadableSpan) span.span())
        .toSpanData()
        .getResource()
        .getAttributes()
        .forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
    attributes.remove("service.instance.id"); // random per SDK
    return attributes;
  }
}
