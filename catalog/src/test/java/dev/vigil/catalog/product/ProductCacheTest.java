package dev.vigil.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.Migrations;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Inside a traced request, a cache miss is a {@code cache products} span around the database read,
 * and a hit is only an event on the request's span: no span for nanoseconds of work.
 */
class ProductCacheTest {

  @Test
  void aMissIsASpanAroundTheDatabaseReadAndAHitIsAnEventOnTheCurrentSpan() throws Exception {
    List<SpanData> ended = new CopyOnWriteArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(ended)))
            .build();
    try (Tracing tracing =
            Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
        Database database =
            new Database(
                CatalogConfig.fromEnvironment(
                    Map.of("VIGIL_DB_URL", "jdbc:h2:mem:product-cache-test;DB_CLOSE_DELAY=-1")),
                new PrometheusRegistry(),
                tracing)) {
      Migrations migrations =
          new Migrations(database, ErrorTracker.builder().build(), new StartingCatalogue());
      migrations.startInBackground();
      assertThat(migrations.awaitFirstAttempt()).as("the schema is migrated").isTrue();
      ProductCache cache =
          new ProductCache(new ProductRepository(database), new PrometheusRegistry(), tracing);

      try (ActiveSpan request = tracing.span("GET /api/products/{id}").start()) {
        assertThat(cache.get(7)).isPresent(); // miss: read from the database
        assertThat(cache.get(7)).isPresent(); // hit
      }

      SpanData server = named(ended, "GET /api/products/{id}");
      SpanData miss = named(ended, "cache products");
      assertThat(ended)
          .filteredOn(s -> s.getName().equals("cache products"))
          .as("one span, for the miss")
          .hasSize(1);
      assertThat(miss.getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
      assertThat(miss.getAttributes().get(TraceAttributes.CACHE_NAME)).isEqualTo("products");
      assertThat(miss.getAttributes().get(TraceAttributes.CACHE_HIT)).isFalse();
      SpanData read = named(ended, "product_by_id");
      assertThat(read.getParentSpanId())
          .as("the statement runs inside the miss")
          .isEqualTo(miss.getSpanContext().getSpanId());

      assertThat(server.getEvents())
          .extracting(EventData::getName)
          .containsExactly("cache products");
      EventData hit = server.getEvents().get(0);
      assertThat(hit.getAttributes().get(TraceAttributes.CACHE_NAME)).isEqualTo("products");
      assertThat(hit.getAttributes().get(TraceAttributes.CACHE_HIT)).isTrue();
    }
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + spans));
  }

  /** Keeps every ended span in a list. */
  private record Collecting(List<SpanData> into) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      into.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
