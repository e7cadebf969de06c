package dev.vigil.bench.hotpath;

import dev.vigil.telemetry.logging.RequestIds;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.slf4j.MDC;

/**
 * The request-scope part of vigil's per-request cost, paid when the access log or tracing is on
 * (modes (c) and (d); with metrics alone no id is generated): a request id generated ({@link
 * RequestIds#generate()}) and put into the MDC for the duration of the request. Results in ns/op;
 * with {@code -prof gc}, bytes/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestIdBenchmark {

  /**
   * One request without an incoming {@code X-Request-Id}: generate, put into the MDC, remove.
   *
   * @return the id (consumed by JMH)
   */
  @Benchmark
  public String generatedIdInMdc() {
    String id = RequestIds.acceptOrGenerate(null);
    MDC.put(RequestIds.MDC_KEY, id);
    MDC.remove(RequestIds.MDC_KEY);
    return id;
  }
}
