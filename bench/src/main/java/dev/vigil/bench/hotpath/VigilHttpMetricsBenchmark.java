package dev.vigil.bench.hotpath;

import dev.vigil.telemetry.http.HttpMetrics;
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
 * vigil's per-request metrics cost through the telemetry library's public recording API ({@link
 * HttpMetrics}): in-flight gauge up, route series lookup by the matched route, status slot, request
 * and error counters, duration histogram (with the client's exemplar sampler), in-flight gauge
 * down. Compare with {@link PrometheusFloorBenchmark}: same samples, same metrics. Results in
 * ns/op; run with {@code -prof gc} for bytes/op (target: under 200 ns and 0 B/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VigilHttpMetricsBenchmark {

  private HttpMetrics metrics;

  /** One route object per template, standing in for the framework's matched-endpoint objects. */
  private Object[] routeKeys;

  /** Per-thread walk through the request samples. */
  @State(Scope.Thread)
  public static class Samples {
    final RequestSamples samples = new RequestSamples();
  }

  /**
   * Registers the HTTP metrics in a fresh registry and records every sample once (series exist).
   */
  @Setup
  public void register() {
    metrics = new HttpMetrics(new PrometheusRegistry());
    RequestSamples all = new RequestSamples();
    routeKeys = new Object[all.route.length];
    java.util.Map<String, Object> keyByRoute = new java.util.HashMap<>();
    for (int i = 0; i < all.route.length; i++) {
      routeKeys[i] = keyByRoute.computeIfAbsent(all.route[i], r -> new Object());
      metrics.recordMatched(routeKeys[i], "GET", all.route[i], all.status[i], all.seconds[i]);
    }
  }

  /**
   * One request that matched a route, recorded as the HTTP instrumentation records it.
   *
   * @param s the thread's samples
   */
  @Benchmark
  public void matchedRequest(Samples s) {
    int i = s.samples.next();
    metrics.requestStarted();
    metrics.recordMatched(
        routeKeys[i], "GET", s.samples.route[i], s.samples.status[i], s.samples.seconds[i]);
    metrics.requestFinished();
  }

  /**
   * One request that matched no route ({@code endpoint="NOT_FOUND"}), recorded by label values.
   *
   * @param s the thread's samples
   */
  @Benchmark
  public void unmatchedRequest(Samples s) {
    int i = s.samples.next();
    metrics.requestStarted();
    metrics.record("GET", HttpMetrics.NOT_FOUND, 404, s.samples.seconds[i]);
    metrics.requestFinished();
  }
}
