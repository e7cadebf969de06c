package dev.vigil.catalog.product;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.vigil.catalog.db.Database;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
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
 * <p>An entry is fresh for {@link #TIME_TO_LIVE} after loading, then read again from the database;
 * it is dropped when an order changes its stock. Unknown ids are not cached.
 *
 * <p>While the database cannot answer, reads are served stale: an entry past its time to live but
 * younger than {@link #MAX_STALE} is answered without touching the pool while the database is known
 * down (the breaker is open), and in place of a read that failed for want of a connection. Each
 * stale answer observes its age in {@code cache_stale_age_seconds{cache="products"}}, and the
 * caller gets the age to tell the client ({@link ProductRead}).
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

  /** The oldest a cached product may be to be served while the database cannot answer. */
  public static final Duration MAX_STALE = Duration.ofMinutes(10);

  /** Where a product read was answered from. */
  public enum Source {
    /** Read from the database now. */
    DATABASE,
    /** From the cache, within its time to live. */
    CACHE,
    /** From the cache past its time to live, because the database could not answer. */
    STALE
  }

  /**
   * A product as read.
   *
   * @param product the product
   * @param age how old the product's data is: zero when read from the database now, else the time
   *     since it was read (whole seconds are what {@code Age} says)
   * @param source where it was answered from
   */
  public record ProductRead(Product product, Duration age, Source source) {}

  /** A cached product and when it was read, in {@link Ticker} nanoseconds. */
  private record Entry(Product product, long readNanos) {}

  private static final String SPAN_NAME = "cache " + NAME;
  private static final Attributes HIT =
      Attributes.of(TraceAttributes.CACHE_NAME, NAME, TraceAttributes.CACHE_HIT, true);

  private final ProductRepository repository;
  private final Cache<Long, Entry> cache;
  private final Ticker ticker;
  private final CounterDataPoint hits;
  private final CounterDataPoint misses;
  private final DistributionDataPoint staleAge;
  private final Tracing tracing;
  private final BooleanSupplier disabled;
  private final BooleanSupplier databaseDown;

  /**
   * @param repository where misses are read from
   * @param registry where the hit and miss counters are registered
   * @param tracing a span per miss, an event per hit, inside traced requests
   */
  public ProductCache(ProductRepository repository, PrometheusRegistry registry, Tracing tracing) {
    this(repository, registry, tracing, () -> false, () -> false, Ticker.systemTicker());
  }

  /**
   * @param repository where misses are read from
   * @param registry where the hit and miss counters are registered
   * @param tracing a span per miss, an event per hit, inside traced requests
   * @param disabled asked on every read: while true every read misses (the {@code cache_disabled}
   *     fault), e.g. {@code CatalogFaults::cacheDisabled}
   * @param databaseDown asked when an entry is past its time to live: while true it is served stale
   *     without trying the database, e.g. {@link Database#knownDown()}; must not block
   * @param ticker the clock of entries' ages, {@link Ticker#systemTicker()} but in tests
   */
  public ProductCache(
      ProductRepository repository,
      PrometheusRegistry registry,
      Tracing tracing,
      BooleanSupplier disabled,
      BooleanSupplier databaseDown,
      Ticker ticker) {
    this.disabled = disabled;
    this.databaseDown = databaseDown;
    this.ticker = ticker;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(MAX_STALE)
            .ticker(ticker)
            .build();
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
    this.staleAge =
        Histogram.builder()
            .name("cache_stale_age_seconds")
            .help(
                "Age of cached entries served past their time to live because the database could"
                    + " not answer, in seconds")
            .labelNames("cache")
            .classicOnly()
            .classicUpperBounds(30, 45, 60, 120, 300, 600)
            .register(registry)
            .labelValues(NAME);
  }

  /**
   * Looks a product up: from the cache while fresh, else from the database; stale from the cache
   * when the database cannot answer (known down: without trying it; a read failing for want of a
   * connection: in its place). Never waits for the pool while the database is known down.
   *
   * @param id the product id
   * @return the product with its age and source, or empty when it does not exist
   * @throws SQLException when the database fails on a miss and no entry younger than {@link
   *     #MAX_STALE} can stand in
   */
  public Optional<ProductRead> get(long id) throws SQLException {
    Entry cached = disabled.getAsBoolean() ? null : cache.getIfPresent(id);
    long now = ticker.read();
    if (cached != null) {
      Duration age = Duration.ofNanos(now - cached.readNanos());
      if (age.compareTo(TIME_TO_LIVE) < 0) {
        hits.inc();
        Span.current().addEvent(SPAN_NAME, HIT);
        return Optional.of(new ProductRead(cached.product(), age, Source.CACHE));
      }
      if (databaseDown.getAsBoolean()) {
        hits.inc();
        Span.current().addEvent(SPAN_NAME, HIT);
        return Optional.of(stale(cached, age));
      }
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
        loaded.ifPresent(p -> cache.put(id, new Entry(p, ticker.read())));
        return loaded.map(p -> new ProductRead(p, Duration.ZERO, Source.DATABASE));
      } catch (SQLException e) {
        if (cached != null && Database.isUnavailable(e)) {
          return Optional.of(stale(cached, Duration.ofNanos(ticker.read() - cached.readNanos())));
        }
        span.fail(e);
        throw e;
      }
    }
  }

  private ProductRead stale(Entry entry, Duration age) {
    staleAge.observe(age.toNanos() / 1e9);
    return new ProductRead(entry.product(), age, Source.STALE);
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
