package dev.vigil.telemetry.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A service's OpenTelemetry tracing, configured from the standard {@code OTEL_*} environment
 * variables by the SDK's autoconfiguration
 * (https://opentelemetry.io/docs/languages/java/configuration/).
 *
 * <p>vigil's defaults, each overridden by the variable of the same name:
 *
 * <ul>
 *   <li>{@code OTEL_SERVICE_NAME}: the name the service passes in, e.g. {@code catalog};
 *   <li>{@code OTEL_TRACES_EXPORTER}: {@code otlp} when {@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 *       {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set, {@code none} otherwise: spans are still
 *       created and sampled (log correlation and exemplars work) but nothing is exported. {@code
 *       zipkin} sends Zipkin v2 JSON to {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} (see {@link
 *       ZipkinSpanExporter}), the local backend of {@code ./vigil up};
 *   <li>{@code OTEL_TRACES_SAMPLER}: {@code parentbased_always_on} (the SDK's default);
 *   <li>{@code OTEL_PROPAGATORS}: {@code tracecontext,baggage} (W3C);
 *   <li>{@code OTEL_METRICS_EXPORTER} and {@code OTEL_LOGS_EXPORTER}: {@code none}: metrics go to
 *       Prometheus through {@code /metrics}, logs to stdout.
 * </ul>
 *
 * <p>When no {@code OTEL_*} variable (nor {@code otel.*} system property) is set, the SDK is built
 * directly with exactly these defaults, without the autoconfiguration: its service loading and
 * configuration parsing cost a few hundred milliseconds of the service's start for nothing to
 * configure.
 */
public final class Tracing implements AutoCloseable {

  private static final String INSTRUMENTATION_SCOPE = "dev.vigil";

  private static final TextMapGetter<Function<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
          return java.util.List.of();
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  private Tracing(OpenTelemetrySdk sdk) {
    this(sdk, sdk);
  }

  private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /**
   * Configures tracing from environment variables.
   *
   * @param serviceName the default {@code service.name}, e.g. {@code catalog}
   * @param env the environment, usually {@code System.getenv()}; its {@code OTEL_*} entries win
   *     over every default
   * @return the tracing of the service; close it at shutdown to flush buffered spans
   * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException when an {@code OTEL_*}
   *     value is invalid (the message names it)
   */
  public static Tracing fromEnvironment(String serviceName, Map<String, String> env) {
    Map<String, String> overrides = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_") && value != null && !value.isBlank()) {
            overrides.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
          }
        });
    if (overrides.isEmpty()
        && System.getProperties().stringPropertyNames().stream()
            .noneMatch(k -> k.startsWith("otel."))) {
      return new Tracing(withDefaults(serviceName));
    }
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", serviceName,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
            .addPropertiesCustomizer(config -> withExporterDefault(config, overrides))
            .addTracerProviderCustomizer(
                (builder, config) ->
                    config.getList("otel.traces.exporter").equals(java.util.List.of("none"))
                        ? builder.addSpanProcessor(new RecordWithoutExport())
                        : builder)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new Tracing(sdk);
  }

  /**
   * The SDK autoconfiguration would build from an empty configuration: the default resource with
   * {@code service.name}, the parent-based always-on sampler, W3C trace context and baggage, and no
   * exporter (spans still recorded).
   */
  private static OpenTelemetrySdk withDefaults(String serviceName) {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(new RecordWithoutExport())
                .build())
        .setPropagators(
            ContextPropagators.create(
                TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
        .build();
  }

  /**
   * Wraps an SDK configured in code, for hosts that set OpenTelemetry up themselves and for tests
   * that read spans from an in-memory exporter.
   *
   * @param sdk the configured SDK; {@link #close()} shuts it down
   * @return the tracing
   */
  public static Tracing of(OpenTelemetrySdk sdk) {
    return new Tracing(sdk);
  }

  /**
   * Tracing switched off ({@code VIGIL_TELEMETRY} without {@code tracing}): spans are no-ops, ids
   * are all zeros, nothing is logged nor exported.
   *
   * @return a tracing that records nothing
   */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), null);
  }

  /** Whether spans are recorded (false for {@link #off()}). */
  public boolean enabled() {
    return sdk != null;
  }

  /** The OpenTelemetry API instance, for libraries that take one. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * Begins a span, a child of the current one unless told otherwise.
   *
   * @param name a low-cardinality name, e.g. {@code check_inventory} or {@code GET
   *     /api/products/{id}}
   * @return a builder; {@code start()} makes the span current
   */
  public ActiveSpan.Builder span(String name) {
    return new ActiveSpan.Builder(tracer.spanBuilder(name));
  }

  /**
   * Writes a context into carrier fields, e.g. the W3C {@code traceparent} header of an outgoing
   * request.
   *
   * @param context the context to propagate, usually {@code Context.current()}
   * @param put receives each field name and value
   */
  public void inject(Context context, BiConsumer<String, String> put) {
    propagator.inject(context, put, (carrier, key, value) -> carrier.accept(key, value));
  }

  /**
   * Reads a remote parent from carrier fields, e.g. the {@code traceparent} header of an incoming
   * request.
   *
   * @param get returns a field's value by name, or {@code null} when absent
   * @return the root context with the remote span as parent, or the root context when the fields
   *     are absent or malformed (a new trace begins)
   */
  public Context extract(Function<String, String> get) {
    return propagator.extract(Context.root(), get, GETTER);
  }

  /** Exports buffered spans and stops the SDK, waiting at most 5 seconds. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Keeps spans recording when nothing exports them: without any span processor the SDK hands out
   * invalid no-op spans, which would leave logs without trace ids and metrics without exemplars.
   */
  private static final class RecordWithoutExport implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }

  private static Map<String, String> withExporterDefault(
      ConfigProperties config, Map<String, String> overrides) {
    Map<String, String> result = new HashMap<>(overrides);
    boolean chosen =
        overrides.containsKey("otel.traces.exporter")
            || config.getString("otel.traces.exporter") != null;
    boolean endpoint =
        overrides.containsKey("otel.exporter.otlp.endpoint")
            || overrides.containsKey("otel.exporter.otlp.traces.endpoint")
            || config.getString("otel.exporter.otlp.endpoint") != null
            || config.getString("otel.exporter.otlp.traces.endpoint") != null;
    if (!chosen && !endpoint) {
      result.put("otel.traces.exporter", "none");
    }
    return result;
  }
}
