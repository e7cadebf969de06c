package dev.vigil.bench;

import dev.vigil.bench.hotpath.AccessLogBenchmark;
import dev.vigil.bench.hotpath.PrometheusFloorBenchmark;
import dev.vigil.bench.hotpath.RequestIdBenchmark;
import dev.vigil.bench.hotpath.ServerSpanBenchmark;
import dev.vigil.bench.hotpath.VigilHttpMetricsBenchmark;
import dev.vigil.bench.load.Spread;
import dev.vigil.bench.scrape.ScrapeBenchmark;
import dev.vigil.bench.slo.SloCompileBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks with the GC profiler and summarizes each one over its forks: every fork
 * is a fresh JVM (its own JIT decisions), so the median over forks with min and max is a figure of
 * "at least 3 runs" in the same sense as the load runs.
 */
public final class JmhSuite {

  /** JMH options shared by every benchmark, as they appear in the report. */
  public static final String OPTIONS = "-wi 1 -w 1s -i 2 -r 1s -prof gc";

  /**
   * JMH options of the SLO compilation benchmark, as they appear in the report: one operation takes
   * a sizeable fraction of a second, so more and longer iterations than {@link #OPTIONS}. The forks
   * keep the JVM's default heap, as the CLI runs: the services' small heap is not what {@code vigil
   * slo generate} gets, and it holds all the generated files at once.
   */
  public static final String SLO_OPTIONS = "-wi 5 -w 2s -i 5 -r 2s -prof gc";

  private final int forks;
  private final String heap;

  /**
   * One benchmark, summarized.
   *
   * @param name benchmark method, e.g. {@code VigilHttpMetricsBenchmark.matchedRequest}
   * @param params JMH parameters, e.g. {@code {series=1000, format=text}}
   * @param score time per operation over forks, in the benchmark's unit
   * @param unit e.g. {@code ns/op}
   * @param bytesPerOp bytes allocated per operation over forks ({@code gc.alloc.rate.norm})
   */
  public record Figure(
      String name, Map<String, String> params, Spread score, String unit, Spread bytesPerOp) {}

  /**
   * Creates the suite.
   *
   * @param forks forks per benchmark (at least 3 for the report)
   * @param heap heap of each fork, as -Xms/-Xmx, e.g. {@code 128m}
   */
  public JmhSuite(int forks, String heap) {
    this.forks = forks;
    this.heap = heap;
  }

  /**
   * The hot-path benchmarks: vigil's recording API, its request-id scope, the Prometheus client
   * floor, one access-log line (vigil's writer and the logback path it replaced) and one server
   * span.
   *
   * @return one figure per benchmark method
   */
  public List<Figure> hotPath() {
    return run(
        VigilHttpMetricsBenchmark.class.getName(),
        RequestIdBenchmark.class.getName(),
        PrometheusFloorBenchmark.class.getName(),
        AccessLogBenchmark.class.getName(),
        ServerSpanBenchmark.class.getName());
  }

  /**
   * The scrape benchmarks at every series count and format.
   *
   * @return one figure per (series, format)
   */
  public List<Figure> scrape() {
    return run(ScrapeBenchmark.class.getName());
  }

  /**
   * The SLO compilation benchmark: {@code vigil slo generate} on 1,000 SLOs, with {@link
   * #SLO_OPTIONS}.
   *
   * @return its figure, in ms per 1,000 SLOs
   */
  public Figure sloCompile() {
    return run(List.of(SloCompileBenchmark.class.getName()), 5, 2, 5, 2, List.of()).get(0);
  }

  private List<Figure> run(String... includes) {
    return run(List.of(includes), 1, 1, 2, 1, List.of("-Xms" + heap, "-Xmx" + heap));
  }

  private List<Figure> run(
      List<String> includes,
      int warmups,
      int warmupSeconds,
      int iterations,
      int iterationSeconds,
      List<String> jvmArgs) {
    OptionsBuilder builder = new OptionsBuilder();
    for (String include : includes) {
      builder.include("^" + include.replace(".", "\\.") + "\\.");
    }
    Options options =
        builder
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(warmupSeconds))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(iterationSeconds))
            .addProfiler(GCProfiler.class)
            .jvmArgs(jvmArgs.toArray(String[]::new))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results;
    try {
      results = new Runner(options).run();
    } catch (RunnerException e) {
      throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
    }
    List<Figure> figures = new ArrayList<>();
    for (RunResult result : results) {
      List<Double> scores = new ArrayList<>();
      List<Double> bytes = new ArrayList<>();
      String unit = result.getPrimaryResult().getScoreUnit();
      for (BenchmarkResult fork : result.getBenchmarkResults()) {
        scores.add(fork.getPrimaryResult().getScore());
        bytes.add(allocationPerOp(fork.getSecondaryResults()));
      }
      String benchmark = result.getParams().getBenchmark();
      String shortName =
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      Map<String, String> params = new java.util.LinkedHashMap<>();
      for (String key : result.getParams().getParamsKeys()) {
        params.put(key, result.getParams().getParam(key));
      }
      figures.add(new Figure(shortName, params, Spread.of(scores), unit, Spread.of(bytes)));
    }
    return figures;
  }

  private static double allocationPerOp(Map<String, Result> secondary) {
    for (Map.Entry<String, Result> e : secondary.entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().getScore();
      }
    }
    throw new IllegalStateException("JMH reported no gc.alloc.rate.norm: is the GC profiler on?");
  }
}
