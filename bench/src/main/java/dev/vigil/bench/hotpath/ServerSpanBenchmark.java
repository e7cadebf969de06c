package dev.vigil.bench.hotpath;

import dev.vigil.telemetry.http.HttpMetrics;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tracing layer's per-request cost: one SERVER span as vigil's request scope starts it (SDK
 * configured as a service without exporter, {@code Tracing.fromEnvironment}; root parent, the eight
 * HTTP attributes, current on the thread with {@code trace_id}/{@code span_id} in the MDC), named
 * after its route, given its status and ended. {@code spanWithMetrics} also records the request's
 * RED metrics while the span is current, so the Prometheus client's exemplar sampler looks the span
 * up, as in mode (d). The {@code sampled*} pair is mode (e), 10% of traces sampled; the {@code
 * *AttributesAtStart} pair is how spans were started before (attributes given to the span builder,
 * before the sampler decided). Results in ns/op; with {@code -prof gc}, bytes/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ServerSpanBenchmark {

  private static final String ROUTE = "/api/products/{id}";
  private static final String NAME = "GET " + ROUTE;
  private static final Long PORT = 8000L;
  private static final Long STATUS_200 = 200L;

  private Tracing tracing;
  private Tracing sampledTracing;
  private HttpMetrics metrics;
  private final Object routeKey = new Object();

  /** Builds the SDK as a service without exporter does, and the HTTP metrics. */
  @Setup
  public void configure() {
    tracing = Tracing.fromEnvironment("bench", Map.of());
    sampledTracing =
        Tracing.fromEnvironment(
            "bench",
            Map.of(
                "OTEL_TRACES_SAMPLER",
                "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG",
                "0.1"));
    metrics = new HttpMetrics(new PrometheusRegistry());
  }

  /** Stops the SDK. */
  @TearDown
  public void close() {
    tracing.close();
    sampledTracing.close();
  }

  /**
   * One server span: start, name, status, end.
   *
   * @return the trace id (consumed by JMH)
   */
  @Benchmark
  public String span() {
    try (ActiveSpan span = start(tracing)) {
      finish(span);
      return span.traceId();
    }
  }

  /**
   * The span as vigil started it before: the HTTP attributes given to the span builder, before the
   * sampler decided.
   *
   * @return the trace id (consumed by JMH)
   */
  @Benchmark
  public String spanAttributesAtStart() {
    try (ActiveSpan span = startWithAttributes(tracing)) {
      finishAlways(span);
      return span.traceId();
    }
  }

  /**
   * {@link #span} with 10% of traces sampled (mode e): nine spans in ten are not recorded.
   *
   * @return the trace id (consumed by JMH)
   */
  @Benchmark
  public String sampledSpan() {
    try (ActiveSpan span = start(sampledTracing)) {
      finish(span);
      return span.traceId();
    }
  }

  /**
   * {@link #spanAttributesAtStart} with 10% of traces sampled (mode e), as before.
   *
   * @return the trace id (consumed by JMH)
   */
  @Benchmark
  public String sampledSpanAttributesAtStart() {
    try (ActiveSpan span = startWithAttributes(sampledTracing)) {
      finishAlways(span);
      finish(span);
      return span.traceId();
    }
  }

  /**
   * One server span with the request's metrics recorded inside it (exemplar sampling included).
   *
   * @return the trace id (consumed by JMH)
   */
  @Benchmark
  public String spanWithMetrics() {
    try (ActiveSpan span = start(tracing)) {
      metrics.requestStarted();
      metrics.recordMatched(routeKey, "GET", ROUTE, 200, 0.0004);
      metrics.requestFinished();
      finish(span);
      return span.traceId();
    }
  }

  /** As {@code HttpServerTracing.start} does: attributes only once the sampler records the span. */
  private static ActiveSpan start(Tracing tracing) {
    ActiveSpan span = tracing.span("GET").kind(SpanKind.SERVER).parent(Context.root()).start();
    Span started = span.span();
    if (started.isRecording()) {
      started.setAttribute(TraceAttributes.HTTP_REQUEST_METHOD, "GET");
      started.setAttribute(TraceAttributes.URL_PATH, "/api/products/42");
      started.setAttribute(TraceAttributes.URL_SCHEME, "http");
      started.setAttribute(TraceAttributes.SERVER_ADDRESS, "127.0.0.1");
      started.setAttribute(TraceAttributes.SERVER_PORT, PORT);
      started.setAttribute(TraceAttributes.CLIENT_ADDRESS, "127.0.0.1");
    }
    return span;
  }

  private static ActiveSpan startWithAttributes(Tracing tracing) {
    return tracing
        .span("GET")
        .kind(SpanKind.SERVER)
        .parent(Context.root())
        .set(TraceAttributes.HTTP_REQUEST_METHOD, "GET")
        .set(TraceAttributes.URL_PATH, "/api/products/42")
        .set(TraceAttributes.URL_SCHEME, "http")
        .set(TraceAttributes.SERVER_ADDRESS, "127.0.0.1")
        .set(TraceAttributes.SERVER_PORT, 8000L)
        .set(TraceAttributes.CLIENT_ADDRESS, "127.0.0.1")
        .start();
  }

  /** As {@code HttpServerTracing} does: route and status only on a recording span, no boxing. */
  private static void finish(ActiveSpan span) {
    if (span.span().isRecording()) {
      span.set(TraceAttributes.HTTP_ROUTE, ROUTE);
      span.span().updateName(NAME);
      span.set(TraceAttributes.HTTP_RESPONSE_STATUS_CODE, STATUS_200);
    }
  }

  private static void finishAlways(ActiveSpan span) {
    span.set(TraceAttributes.HTTP_ROUTE, ROUTE);
    span.span().updateName(NAME);
    span.set(TraceAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
  }
}
