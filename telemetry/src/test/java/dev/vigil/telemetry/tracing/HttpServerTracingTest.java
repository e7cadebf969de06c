package dev.vigil.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.http.HttpInstrumentation;
import io.javalin.Javalin;
import io.javalin.config.JavalinState;
import io.javalin.plugin.Plugin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A Javalin service with server spans (tracing alone), called over real HTTP on a random port.
 *
 * <p>The server span ends after the response is written (the request scope closes it once the
 * handler chain returns), so the client can hold the response before the span is exported: every
 * read of the finished spans waits for them, with a deadline, instead of reading right after the
 * response.
 */
class HttpServerTracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

  private static final Duration SPAN_DEADLINE = Duration.ofSeconds(10);

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();

  /**
   * Names of the spans started so far: a span is started before its handler runs, so before the
   * response.
   */
  private final List<String> started = new CopyOnWriteArrayList<>();

  private final Map<String, String> loggedInHandler = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Tracing tracing;
  private Javalin app;

  @BeforeEach
  void start() {
    tracing =
        Tracing.of(
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .setResource(
                            Resource.create(
                                Attributes.of(AttributeKey.stringKey("service.name"), "demo")))
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .addSpanProcessor(
                            new SpanProcessor() {
                              @Override
                              public void onStart(Context parentContext, ReadWriteSpan span) {
                                started.add(span.getName());
                              }

                              @Override
                              public boolean isStartRequired() {
                                return true;
                              }

                              @Override
                              public void onEnd(ReadableSpan span) {}

                              @Override
                              public boolean isEndRequired() {
                                return false;
                              }
                            })
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build());
    app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.registerPlugin(
                      new Plugin<Void>() {
                        @Override
                        public void onInitialize(JavalinState state) {
                          HttpInstrumentation.install(
                              state,
                              null,
                              null,
                              new HttpServerTracing(tracing),
                              Set.of("/healthz"));
                        }
                      });
                  config.routes.get(
                      "/items/{id}",
                      ctx -> {
                        loggedInHandler.put("trace_id", MDC.get(LogCorrelation.TRACE_ID));
                        loggedInHandler.put("span_id", MDC.get(LogCorrelation.SPAN_ID));
                        ctx.result("item " + ctx.pathParam("id"));
                      });
                  config.routes.get(
                      "/boom",
                      ctx -> {
                        throw new IllegalStateException("broken on purpose");
                      });
                  config.routes.get("/healthz", ctx -> ctx.result("alive"));
                })
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
    tracing.close();
  }

  @Test
  void aRequestWithTraceparentGetsAServerSpanInTheCallersTraceNamedAfterItsRoute()
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/items/7"))
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER)).contains(TRACE_ID);
    SpanData span = single();
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getName()).isEqualTo("GET /items/{id}");
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
    assertThat(span.getAttributes().get(TraceAttributes.HTTP_ROUTE)).isEqualTo("/items/{id}");
    assertThat(span.getAttributes().get(TraceAttributes.HTTP_REQUEST_METHOD)).isEqualTo("GET");
    assertThat(span.getAttributes().get(TraceAttributes.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(200L);
    assertThat(span.getAttributes().get(TraceAttributes.URL_PATH)).isEqualTo("/items/7");
    assertThat(loggedInHandler)
        .containsEntry("trace_id", TRACE_ID)
        .containsEntry("span_id", span.getSpanId());
  }

  @Test
  void aRequestWithoutTraceparentStartsATraceAndReturnsItsId() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/items/8")).build(), HttpResponse.BodyHandlers.ofString());

    SpanData span = single();
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(response.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER))
        .contains(span.getTraceId());
    assertThat(response.headers().firstValue("X-Request-Id"))
        .as("tracing alone still gives requests an id")
        .get()
        .asString()
        .matches("[0-9a-f]{32}");
  }

  @Test
  void aServerErrorMarksTheSpanFailedAndAnUnknownPathHasNoRoute() throws Exception {
    http.send(HttpRequest.newBuilder(uri("/boom")).build(), HttpResponse.BodyHandlers.ofString());
    SpanData failed = single();
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(TraceAttributes.HTTP_RESPONSE_STATUS_CODE))
        .isEqualTo(500L);
    spans.reset();

    http.send(
        HttpRequest.newBuilder(uri("/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
    SpanData missing = single();
    assertThat(missing.getName()).isEqualTo("GET");
    assertThat(missing.getAttributes().get(TraceAttributes.HTTP_ROUTE)).isNull();
    assertThat(missing.getStatus().getStatusCode())
        .as("a 404 is the client's error")
        .isEqualTo(StatusCode.UNSET);
  }

  @Test
  void probesAreNotTraced() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(started)
        .as("spans started for a probe (a span starts before the handler runs)")
        .isEmpty();
    assertThat(response.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER)).isEmpty();

    http.send(
        HttpRequest.newBuilder(uri("/items/1")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(single().getName())
        .as("the only span is the traffic request's, not the probe's")
        .isEqualTo("GET /items/{id}");
  }

  @Test
  void aTracedClientCallBecomesTheParentOfTheServerSpan() throws Exception {
    HttpClientTracing client = new HttpClientTracing(tracing, "demo");
    URI target = uri("/items/9");
    try (ActiveSpan order = tracing.span("process_payment").start()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(target);
      try (ActiveSpan attempt = client.start(request, "GET", target, 0)) {
        HttpClientTracing.recordStatus(
            attempt, http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      }
    }
    List<SpanData> finished = awaitFinished(3);
    SpanData server =
        finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData attempt =
        finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    SpanData business =
        finished.stream()
            .filter(s -> s.getName().equals("process_payment"))
            .findFirst()
            .orElseThrow();
    assertThat(server.getParentSpanId()).isEqualTo(attempt.getSpanId());
    assertThat(attempt.getParentSpanId()).isEqualTo(business.getSpanId());
    assertThat(attempt.getAttributes().get(TraceAttributes.HTTP_RESPONSE_STATUS_CODE))
        .isEqualTo(200L);
  }

  private SpanData single() throws InterruptedException {
    return awaitFinished(1).getFirst();
  }

  /**
   * Waits until {@code count} spans have finished (or {@link #SPAN_DEADLINE} passed) and returns
   * them.
   *
   * @throws AssertionError when a different number of spans finished by the deadline
   */
  private List<SpanData> awaitFinished(int count) throws InterruptedException {
    long deadline = System.nanoTime() + SPAN_DEADLINE.toNanos();
    List<SpanData> finished = spans.getFinishedSpanItems();
    while (finished.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
      finished = spans.getFinishedSpanItems();
    }
    assertThat(finished).as("spans finished within %s", SPAN_DEADLINE).hasSize(count);
    return finished;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }
}
