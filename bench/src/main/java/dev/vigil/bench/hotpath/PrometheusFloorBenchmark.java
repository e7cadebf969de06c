package dev.vigil.bench.hotpath;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor under vigil's per-request cost: the Prometheus Java client's own counter, histogram and
 * gauge recording one request, with the same metric names, labels and buckets as vigil's
 * HttpMetrics.
 *
 * <p>Two variants: {@link #labelLookupPerRequest} finds the data points by label values on every
 * request (what a plain instrumentation does), {@link #cachedDataPoints} holds them ready (the
 * least any instrumentation can cost). Results in ns/op; run with {@code -prof gc} for bytes/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PrometheusFloorBenchmark {

  /** The bucket boundaries of http_request_duration_seconds, in seconds. */
  static final double[] BUCKETS_SECONDS = {
    .005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10
  };

  private Counter requests;
  private Counter errors;
  private Histogram duration;
  private Gauge active;
  private CounterDataPoint[] requestPoints;
  private CounterDataPoint[] errorPoints;
  private DistributionDataPoint[] durationPoints;

  /** Per-thread walk through the request samples. */
  @State(Scope.Thread)
  public static class Samples {
    final RequestSamples samples = new RequestSamples();
  }

  /**
   * Registers the four HTTP metrics in a fresh registry and resolves the data points of each
   * sample.
   */
  @Setup
  public void register() {
    PrometheusRegistry registry = new PrometheusRegistry();
    requests =
        Counter.builder()
            .name("http_requests_total")
            .help("HTTP requests")
            .labelNames("method", "endpoint", "status")
            .register(registry);
    errors =
        Counter.builder()
            .name("http_errors_total")
            .help("HTTP responses with status >= 400")
            .labelNames("method", "endpoint", "status")
            .register(registry);
    duration =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help("HTTP request duration")
            .labelNames("method", "endpoint", "status")
            .classicOnly()
            .classicUpperBounds(BUCKETS_SECONDS)
            .register(registry);
    active = Gauge.builder().name("http_requests_active").help("in flight").register(registry);
    RequestSamples all = new RequestSamples();
    int n = all.route.length;
    requestPoints = new CounterDataPoint[n];
    errorPoints = new CounterDataPoint[n];
    durationPoints = new DistributionDataPoint[n];
    for (int i = 0; i < n; i++) {
      requestPoints[i] = requests.labelValues("GET", all.route[i], all.statusText[i]);
      errorPoints[i] = errors.labelValues("GET", all.route[i], all.statusText[i]);
      durationPoints[i] = duration.labelValues("GET", all.route[i], all.statusText[i]);
    }
  }

  /**
   * One request recorded with label lookups, as plain instrumentation does it.
   *
   * @param s the thread's samples
   */
  @Benchmark
  public void labelLookupPerRequest(Samples s) {
    int i = s.samples.next();
    active.inc();
    String route = s.samples.route[i];
    String status = s.samples.statusText[i];
    requests.labelValues("GET", route, status).inc();
    if (s.samples.status[i] >= 400) {
      errors.labelValues("GET", route, status).inc();
    }
    duration.labelValues("GET", route, status).observe(s.samples.seconds[i]);
    active.dec();
  }

  /**
   * One request recorded on data points resolved in advance: the floor.
   *
   * @param s the thread's samples
   */
  @Benchmark
  public void cachedDataPoints(Samples s) {
    int i = s.samples.next();
    active.inc();
    requestPoints[i].inc();
    if (s.samples.status[i] >= 400) {
      errorPoints[i].inc();
    }
    durationPoints[i].observe(s.samples.seconds[i]);
    active.dec();
  }
}
