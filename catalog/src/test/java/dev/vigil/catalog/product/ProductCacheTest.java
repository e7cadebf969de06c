package dev.vigil.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.DatabaseUnavailableException;
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
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Inside a traced request, a cache miss is a {@code cache products} span around the database read,
 * and a hit is only an event on the request's span: no span for nanoseconds of work. While the
 * database is down, entries past their time to live are served stale with their age.
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
        assertThat(cache.get(7).orElseThrow().source())
            .as("miss: read from the database")
            .isEqualTo(ProductCache.Source.DATABASE);
        assertThat(cache.get(7).orElseThrow().source())
            .as("hit")
            .isEqualTo(ProductCache.Source.CACHE);
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

  /**
   * A product page must not turn 503 because the database is down when the catalog has the product
   * in memory: past its 30 s the entry is served stale, saying its age, up to {@link
   * ProductCache#MAX_STALE}. The clock of the entries is moved by hand; the outage is a real
   * PostgreSQL stopped.
   */
  @Test
  void anEntryPastItsTimeToLiveIsServedStaleWithItsAgeWhileTheDatabaseIsDown() throws Exception {
    try (dev.vigil.catalog.PostgresServer postgres = dev.vigil.catalog.PostgresServer.start();
        Tracing tracing = Tracing.off();
        Database database =
            new Database(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_DB_URL",
                        postgres.jdbcUrl(),
                        "VIGIL_DB_USER",
                        "postgres",
                        "DB_POOL_TIMEOUT",
                        "20000")),
                new PrometheusRegistry(),
                tracing)) {
      Migrations migrations =
          new Migrations(database, ErrorTracker.builder().build(), new StartingCatalogue());
      migrations.startInBackground();
      assertThat(migrations.awaitFirstAttempt()).as("the schema is migrated").isTrue();
      AtomicLong nanos = new AtomicLong();
      PrometheusRegistry registry = new PrometheusRegistry();
      ProductCache cache =
          new ProductCache(
              new ProductRepository(database),
              registry,
              tracing,
              () -> false,
              database::knownDown,
              nanos::get);
      assertThat(cache.get(3).orElseThrow().source()).isEqualTo(ProductCache.Source.DATABASE);
      nanos.addAndGet(Duration.ofSeconds(45).toNanos());

      postgres.stop();
      int staleAnswers = 1;
      try {
        ProductCache.ProductRead stale = cache.get(3).orElseThrow();
        assertThat(stale.source())
            .as("the read failed for want of a connection: the stale entry stands in")
            .isEqualTo(ProductCache.Source.STALE);
        assertThat(stale.age()).isEqualTo(Duration.ofSeconds(45));
        assertThat(stale.product().name()).isEqualTo("Home item 3");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!database.knownDown() && System.nanoTime() < deadline) {
          Thread.sleep(20); // the pool retries its connections in the background, and fails
        }
        assertThat(database.knownDown())
            .as("the pool's failed connection attempts opened the breaker, without more reads")
            .isTrue();

        // the breaker turns half-open by itself after BREAKER_WAIT (then a read is a trial call,
        // which fails and opens it again): judge a read that began and ended while it was open
        boolean judged = false;
        while (!judged) {
          staleAnswers++;
          assertThat(System.nanoTime()).as("a read while known down").isLessThan(deadline);
          boolean downBefore = database.knownDown();
          double misses = value(registry, "cache_misses");
          assertThat(cache.get(3).orElseThrow().source()).isEqualTo(ProductCache.Source.STALE);
          if (downBefore && database.knownDown()) {
            assertThat(value(registry, "cache_misses"))
                .as("known down: served without trying the database")
                .isEqualTo(misses);
            judged = true;
          }
        }

        assertThatThrownBy(() -> cache.get(4))
            .as("a product never cached: the database's failure")
            .isInstanceOf(DatabaseUnavailableException.class);
        nanos.addAndGet(ProductCache.MAX_STALE.toNanos());
        assertThatThrownBy(() -> cache.get(3))
            .as("older than MAX_STALE: not served")
            .isInstanceOf(DatabaseUnavailableException.class);
      } finally {
        postgres.resume();
      }
      assertThat(value(registry, "cache_stale_age_seconds"))
          .as("each stale answer counted with its age")
          .isEqualTo(staleAnswers);
    }
  }

  /** A counter's value, or a histogram's count, of the {@code products} cache. */
  private static double value(PrometheusRegistry registry, String name) {
    for (var snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals(name)) {
        var point = snapshot.getDataPoints().get(0);
        if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram) {
          return histogram.getCount();
        }
        return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
      }
    }
    throw new AssertionError("no metric " + name);
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
