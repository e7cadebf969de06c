package dev.vigil.bench.hotpath;

import dev.vigil.telemetry.http.HttpMetrics;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
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
 * up, as in mode (d). Results in ns/op; with {@code -prof gc}, bytes/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ServerSpanBenchmark {

  private static final String ROUTE = "/api/products/{id}";
  private static final String NAME = "GET " + ROUTE;

  private Tracing tracing;
  private HttpMetrics metrics;
  private final Object routeKey = new Object();

  /** Builds the SDK as a service without exporter does, and the HTTP metrics. */
  @Setup
  public void configure() {
    tracing = Tracing.fromEnvironment("bench", Map.of());
    metrics = new HttpMetrics(new PrometheusRegistry());
  }

  /** Stops the SDK. */
  @TearDown
  public void close() {
    tracing.close();
  }

  /**
   * One server span: start, name, status, end.
   *
   * @return the trace id (consumed by JMH)
   */
  @Benchmark
  public String span() {
    try (ActiveSpan span = start()) {
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
    try (ActiveSpan span = start()) {
      metrics.requestStarted();
      metrics.recordMatched(routeKey, "GET", ROUTE, 200, 0.0004);
      metrics.requestFinished();
      finish(span);
      return span.traceId();
    }
  }

  private ActiveSpan start() {
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

  private static void finish(ActiveSpan span) {
    span.set(TraceAttributes.HTTP_ROUTE, ROUTE);
    span.span().updateName(NAME);
    span.set(TraceAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
  }
}
