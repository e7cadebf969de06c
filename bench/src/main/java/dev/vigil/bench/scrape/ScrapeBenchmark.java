package dev.vigil.bench.scrape;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one {@code /metrics} scrape: collect every metric of the registry into snapshots and
 * write them in the Prometheus text format or OpenMetrics, at 1k, 10k and 50k series.
 *
 * <p>The registry holds vigil's HTTP metrics (as telemetry's HttpMetrics registers them): per
 * route, {@code http_requests_total} with three statuses (3 series) and {@code
 * http_request_duration_seconds} with 14 buckets (+Inf, _count and _sum: 17 series), so 20 series
 * per route. Results in microseconds per scrape; bytes per scrape come from {@link #exposition(int,
 * String)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScrapeBenchmark {

  /** Series written per route template: 3 counter statuses + 17 histogram lines. */
  public static final int SERIES_PER_ROUTE = 20;

  private static final double[] BUCKETS_SECONDS = {
    .005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10
  };

  /** Number of series in the registry. */
  @Param({"1000", "10000", "50000"})
  public int series;

  /**
   * Exposition format: {@code text} (Prometheus 0.0.4) or {@code openmetrics} (OpenMetrics 1.0).
   */
  @Param({"text", "openmetrics"})
  public String format;

  private PrometheusRegistry registry;
  private ExpositionFormatWriter writer;

  /** Fills a registry with {@link #series} series and picks the writer. */
  @Setup
  public void fill() {
    registry = registryWith(series);
    writer = writer(format);
  }

  /**
   * One scrape as vigil's {@code MetricsEndpoint} does it: collect, write into a fresh 16 KiB
   * buffer that grows as needed, copy out the bytes handed to the HTTP response.
   *
   * @return the response body (consumed by JMH)
   * @throws IOException never in practice (in-memory stream)
   */
  @Benchmark
  public byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  /**
   * Writes the exposition once, to measure its size and count its lines.
   *
   * @param series number of series (a multiple of {@link #SERIES_PER_ROUTE} is exact; others round
   *     up)
   * @param format {@code text} or {@code openmetrics}
   * @return the exposition bytes (UTF-8)
   */
  public static byte[] exposition(int series, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try {
      writer(format).write(bytes, registryWith(series).scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static ExpositionFormatWriter writer(String format) {
    return switch (format) {
      case "text" -> PrometheusTextFormatWriter.create();
      case "openmetrics" -> OpenMetricsTextFormatWriter.create();
      default ->
          throw new IllegalArgumentException(
              "unknown exposition format '" + format + "': use text or openmetrics");
    };
  }

  private static PrometheusRegistry registryWith(int series) {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter requests =
        Counter.builder()
            .name("http_requests_total")
            .help("HTTP requests")
            .labelNames("method", "endpoint", "status")
            .register(registry);
    Histogram duration =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help("HTTP request duration")
            .labelNames("method", "endpoint")
            .classicOnly()
            .classicUpperBounds(BUCKETS_SECONDS)
            .register(registry);
    int routes = (series + SERIES_PER_ROUTE - 1) / SERIES_PER_ROUTE;
    for (int r = 0; r < routes; r++) {
      String route = "/api/resource" + r + "/{id}";
      requests.labelValues("GET", route, "200").inc(1000 + r);
      requests.labelValues("GET", route, "404").inc(3);
      requests.labelValues("GET", route, "500").inc();
      for (int k = 0; k < 20; k++) {
        duration.labelValues("GET", route).observe(0.0007 * (k + 1) * (r % 7 + 1));
      }
    }
    return registry;
  }
}
