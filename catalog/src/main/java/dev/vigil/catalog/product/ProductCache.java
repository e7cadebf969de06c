package dev.vigil.catalog.product;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Products by id through a Caffeine cache, counted in {@code cache_hits_total{cache="products"}}
 * and {@code cache_misses_total{cache="products"}}.
 *
 * <p>Entries expire {@link #TIME_TO_LIVE} after loading and are dropped when an order changes their
 * stock. Unknown ids are not cached.
 *
 * <p>Inside a traced request, a hit costs no span: it is an event {@code cache products} with
 * {@code cache.name} and {@code cache.hit=true} on the current span. A miss opens a child span
 * {@code cache products} ({@code cache.name}, {@code cache.hit=false}) around the database read,
 * whose statement span is its child.
 */
public final class ProductCache {

  /** The value of the {@code cache} label. */
  public static final String NAME = "products";

  /** How long a cached product is served before it is read again. */
  public static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);

  private static final String SPAN_NAME = "cache " + NAME;
  private static final Attributes HIT =
      Attributes.of(TraceAttributes.CACHE_NAME, NAME, TraceAttributes.CACHE_HIT, true);

  private final ProductRepository repository;
  private final Cache<Long, Product> cache =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TIME_TO_LIVE).build();
  private final CounterDataPoint hits;
  private final CounterDataPoint misses;
  private final Tracing tracing;
  private final BooleanSupplier disabled;

  /**
   * @param repository where misses are read from
   * @param registry where the hit and miss counters are registered
   * @param tracing a span per miss, an event per hit, inside traced requests
   */
  public ProductCache(ProductRepository repository, PrometheusRegistry registry, Tracing tracing) {
    this(repository, registry, tracing, () -> false);
  }

  /**
   * @param repository where misses are read from
   * @param registry where the hit and miss counters are registered
   * @param tracing a span per miss, an event per hit, inside traced requests
   * @param disabled asked on every read: while true every read misses (the {@code cache_disabled}
   *     fault), e.g. {@code CatalogFaults::cacheDisabled}
   */
  public ProductCache(
      ProductRepository repository,
      PrometheusRegistry registry,
      Tracing tracing,
      BooleanSupplier disabled) {
    this.disabled = disabled;
    this.repository = repository;
    this.tracing = tracing;
    this.hits =
        Counter.builder()
            .name("cache_hits_total")
            .help("Cache lookups answered from the cache")
            .labelNames("cache")
            .register(registry)
            .labelValues(NAME);
    this.misses =
        Counter.builder()
            .name("cache_misses_total")
            .help("Cache lookups that went to the database")
            .labelNames("cache")
            .register(registry)
            .labelValues(NAME);
  }

  /**
   * Looks a product up, from the cache when present.
   *
   * @param id the product id
   * @return the product, or empty when it does not exist
   * @throws SQLException when the database fails on a miss
   */
  public Optional<Product> get(long id) throws SQLException {
    Product cached = disabled.getAsBoolean() ? null : cache.getIfPresent(id);
    if (cached != null) {
      hits.inc();
      Span.current().addEvent(SPAN_NAME, HIT);
      return Optional.of(cached);
    }
    misses.inc();
    try (ActiveSpan span =
        tracing
            .span(SPAN_NAME)
            .set(TraceAttributes.CACHE_NAME, NAME)
            .set(TraceAttributes.CACHE_HIT, false)
            .start()) {
      try {
        Optional<Product> loaded = repository.findById(id);
        loaded.ifPresent(p -> cache.put(id, p));
        return loaded;
      } catch (SQLException e) {
        span.fail(e);
        throw e;
      }
    }
  }

  /**
   * Drops products whose stored state changed.
   *
   * @param ids product ids
   */
  public void invalidate(Collection<Long> ids) {
    cache.invalidateAll(ids);
  }
}
