package dev.vigil.telemetry.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;

/**
 * Makes {@code OTEL_TRACES_EXPORTER=zipkin} select {@link ZipkinSpanExporter}, configured by the
 * variables the OpenTelemetry specification defines for Zipkin: {@code
 * OTEL_EXPORTER_ZIPKIN_ENDPOINT} (default {@code http://localhost:9411/api/v2/spans}) and {@code
 * OTEL_EXPORTER_ZIPKIN_TIMEOUT} (milliseconds, default 10000). Registered through {@code
 * META-INF/services}.
 */
public final class ZipkinSpanExporterProvider implements ConfigurableSpanExporterProvider {

  /** The exporter name in {@code OTEL_TRACES_EXPORTER}. */
  public static final String NAME = "zipkin";

  /** Required by {@link java.util.ServiceLoader}. */
  public ZipkinSpanExporterProvider() {}

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    String endpoint =
        config.getString("otel.exporter.zipkin.endpoint", "http://localhost:9411/api/v2/spans");
    Duration timeout = config.getDuration("otel.exporter.zipkin.timeout", Duration.ofSeconds(10));
    return new ZipkinSpanExporter(URI.create(endpoint), timeout);
  }

  @Override
  public String getName() {
    return NAME;
  }
}
