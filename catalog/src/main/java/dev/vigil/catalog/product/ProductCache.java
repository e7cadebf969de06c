package dev.vigil.catalog.product;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Products by id through a Caffeine cache, counted in {@code cache_hits_total{cache="products"}} and
 * {@code cache_misses_total{cache="products"}}.
 *
 * <p>Entries expire {@link #TIME_TO_LIVE} after loading and are dropped when an order changes their
 * stock. Unknown ids are not cached.
 */
public final class ProductCache {

  /** The value of the {@code cache} label. */
  public static final String NAME = "products";

  /** How long a cached product is served before it is read again. */
  public static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);

  private final ProductRepository repository;
  private final Cache<Long, Product> cache = Caffeine.newBuilder()
      .maximumSize(10_000)
      .expireAfterWrite(TIME_TO_LIVE)
      .build();
  private final CounterDataPoint hits;
  private final CounterDataPoint misses;
  private final Tracing tracing;

  /**
   * @param repository where misses are read from
   * @param registry where the hit and miss counters are registered
   * @param tracing a span per lookup ({@code cache.name}, {@code cache.hit}) inside traced requests
   */
  public ProductCache(ProductRepository repository, PrometheusRegistry registry, Tracing tracing) {
    this.repository = repository;
    this.tracing = tracing;
    this.hits = Counter.builder().name("cache_hits_total").help("Cache lookups answered from the cache")
        .labelNames("cache").register(registry).labelValues(NAME);
    this.misses = Counter.builder().name("cache_misses_total").help("Cache lookups that went to the database")
        .labelNames("cache").register(registry).labelValues(NAME);
  }

  /**
   * Looks a product up, from the cache when present.
   *
   * @param id the product id
   * @return the product, or empty when it does not exist
   * @throws SQLException when the database fails on a miss
   */
  public Optional<Product> get(long id) throws SQLException {
    try (ActiveSpan span = tracing.span("cache " + NAME).set(TraceAttributes.CACHE_NAME, NAME).start()) {
      Product cached = cache.getIfPresent(id);
      span.set(TraceAttributes.CACHE_HIT, cached != null);
      if (cached != null) {
        hits.inc();
        return Optional.of(cached);
      }
      misses.inc();
      Optional<Product> loaded = repository.findById(id);
      loaded.ifPresent(p -> cache.put(id, p));
      return loaded;
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
