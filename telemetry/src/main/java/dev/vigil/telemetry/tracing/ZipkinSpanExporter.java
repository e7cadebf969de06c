package dev.vigil.telemetry.tracing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spans to a Zipkin server as Zipkin v2 JSON ({@code POST /api/v2/spans}), the intake of the
 * local trace backend that {@code ./vigil up} runs on 127.0.0.1:9411. Production exports OTLP; this
 * exporter exists because OpenTelemetry Java stopped publishing its Zipkin exporter after 1.63 and
 * Zipkin's server has no OTLP intake (docs/tracing.md weighs the options).
 *
 * <p>The mapping follows the OpenTelemetry specification "OpenTelemetry to Zipkin Transformation"
 * (https://opentelemetry.io/docs/specs/otel/trace/sdk_exporters/zipkin/): ids as hex, times in
 * microseconds since the epoch, kind SERVER/CLIENT/PRODUCER/CONSUMER (INTERNAL has none), {@code
 * localEndpoint.serviceName} from the resource's {@code service.name}, {@code
 * remoteEndpoint.serviceName} from {@code peer.service}, attributes as string tags (arrays as JSON
 * arrays), {@code otel.status_code} and {@code error} tags from the span status, {@code
 * otel.scope.name}, and events as annotations.
 *
 * <p>Selected with {@code OTEL_TRACES_EXPORTER=zipkin} (see {@link ZipkinSpanExporterProvider}); it
 * runs behind the SDK's batch span processor, so requests never wait for it.
 */
public final class ZipkinSpanExporter implements SpanExporter {

  private static final Logger LOG = LoggerFactory.getLogger(ZipkinSpanExporter.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient client;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param endpoint the Zipkin span intake, e.g. {@code http://127.0.0.1:9411/api/v2/spans}
   * @param timeout how long one export may take before it counts as failed
   */
  public ZipkinSpanExporter(URI endpoint, Duration timeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Sends one batch; logs a WARN the first time the server cannot be reached (and an INFO when it
   * can again), never throws.
   *
   * @param spans finished spans
   * @return completes with success when Zipkin accepted the batch (HTTP 2xx)
   */
  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = new CompletableResultCode();
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(encode(spans)))
            .build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() / 100 == 2) {
                if (failing.compareAndSet(true, false)) {
                  LOG.info("Zipkin at {} accepts spans again", endpoint);
                }
                result.succeed();
              } else {
                if (failing.compareAndSet(false, true)) {
                  LOG.warn(
                      "cannot export {} spans to Zipkin at {}: {}; spans are dropped until it answers",
                      spans.size(),
                      endpoint,
                      error == null ? "HTTP " + response.statusCode() : String.valueOf(error));
                }
                result.fail();
              }
            });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    client.shutdownNow();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "ZipkinSpanExporter{endpoint=" + endpoint + "}";
  }

  /**
   * Encodes spans as a Zipkin v2 JSON list.
   *
   * @param spans finished spans
   * @return the UTF-8 JSON body of {@code POST /api/v2/spans}
   */
  static byte[] encode(Collection<SpanData> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 * Math.max(1, spans.size()));
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (SpanData span : spans) {
        write(json, span);
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode spans as Zipkin JSON", e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator json, SpanData span) throws IOException {
    json.writeStartObject();
    json.writeStringField("traceId", span.getTraceId());
    json.writeStringField("id", span.getSpanId());
    if (span.getParentSpanContext().isValid()) {
      json.writeStringField("parentId", span.getParentSpanId());
    }
    json.writeStringField("name", span.getName());
    String kind = kind(span.getKind());
    if (kind != null) {
      json.writeStringField("kind", kind);
    }
    long start = TimeUnit.NANOSECONDS.toMicros(span.getStartEpochNanos());
    long end = TimeUnit.NANOSECONDS.toMicros(span.getEndEpochNanos());
    json.writeNumberField("timestamp", start);
    json.writeNumberField("duration", Math.max(1, end - start));
    String service = span.getResource().getAttribute(SERVICE_NAME);
    json.writeObjectFieldStart("localEndpoint");
    json.writeStringField("serviceName", service == null ? "unknown_service" : service);
    json.writeEndObject();
    String peer = span.getAttributes().get(TraceAttributes.PEER_SERVICE);
    if (peer != null) {
      json.writeObjectFieldStart("remoteEndpoint");
      json.writeStringField("serviceName", peer);
      json.writeEndObject();
    }
    List<EventData> events = span.getEvents();
    if (!events.isEmpty()) {
      json.writeArrayFieldStart("annotations");
      for (EventData event : events) {
        json.writeStartObject();
        json.writeNumberField("timestamp", TimeUnit.NANOSECONDS.toMicros(event.getEpochNanos()));
        json.writeStringField("value", event.getName());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    json.writeObjectFieldStart("tags");
    for (Map.Entry<AttributeKey<?>, Object> attribute : span.getAttributes().asMap().entrySet()) {
      json.writeStringField(attribute.getKey().getKey(), tagValue(attribute.getValue()));
    }
    json.writeStringField("otel.scope.name", span.getInstrumentationScopeInfo().getName());
    StatusCode status = span.getStatus().getStatusCode();
    if (status != StatusCode.UNSET) {
      json.writeStringField("otel.status_code", status.name());
    }
    if (status == StatusCode.ERROR) {
      String description = span.getStatus().getDescription();
      json.writeStringField(
          "error", description == null || description.isEmpty() ? "true" : description);
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static String kind(SpanKind kind) {
    return switch (kind) {
      case SERVER -> "SERVER";
      case CLIENT -> "CLIENT";
      case PRODUCER -> "PRODUCER";
      case CONSUMER -> "CONSUMER";
      case INTERNAL -> null;
    };
  }

  private static String tagValue(Object value) {
    if (value instanceof List<?> list) {
      StringBuilder array = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        array.append(i == 0 ? "" : ",");
        array.append(
            item instanceof String s
                ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'
                : item);
      }
      return array.append(']').toString();
    }
    return String.valueOf(value);
  }
}
