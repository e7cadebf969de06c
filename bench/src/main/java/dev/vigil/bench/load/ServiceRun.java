package dev.vigil.bench.load;

import java.util.Map;

/**
 * Everything measured on one service configuration in one round (one JVM, started for this round).
 *
 * @param spec the configuration
 * @param round round number, 1-based
 * @param traced whether responses carried a trace id header ({@code X-Trace-Id} or {@code
 *     traceparent})
 * @param startToReadyMillis milliseconds from process start to the first 200 of the readiness path
 * @param warmupSeconds seconds of warm-up load sent before measuring (both endpoints)
 * @param closedLoop peak-throughput runs (wrk) by endpoint and connection count
 * @param heyClosedLoop peak-throughput runs of the second load generator (hey without a rate
 *     limit), by endpoint and connection count, each right after wrk's runs of its endpoint
 * @param halfPeak rate-limited runs (hey) at half of this round's peak, by endpoint
 * @param rssUnderLoadKib largest VmRSS seen during the measured runs, KiB
 * @param liveHeapKib heap in use after a full collection at the end of the round (the live set),
 *     KiB
 * @param gcDuringMeasure collections and pause seconds during the measured runs
 * @param measureSeconds wall time of the measured runs, seconds
 */
public record ServiceRun(
    ServiceSpec spec,
    int round,
    boolean traced,
    double startToReadyMillis,
    double warmupSeconds,
    Map<Scenario, ScenarioRun> closedLoop,
    Map<Scenario, ScenarioRun> heyClosedLoop,
    Map<Endpoint, HalfPeakRun> halfPeak,
    long rssUnderLoadKib,
    long liveHeapKib,
    GcTotals gcDuringMeasure,
    double measureSeconds) {

  /**
   * One endpoint at one concurrency.
   *
   * @param endpoint the request
   * @param connections open keep-alive connections
   */
  public record Scenario(Endpoint endpoint, int connections) {}

  /**
   * A closed-loop run (wrk, or hey without a rate limit) and where the machine's CPU went
   * meanwhile, in cores (0..2 on 2 cores).
   *
   * @param load what the load generator measured
   * @param serviceCores CPU used by the service JVM
   * @param otherCores CPU used by everything but the service and the load generator (other
   *     engineers' builds, the harness)
   */
  public record ScenarioRun(LoadResult load, double serviceCores, double otherCores) {}

  /**
   * A hey run at a fixed rate.
   *
   * @param targetRate requested rate over all workers, requests/s (half of the round's peak)
   * @param load what hey measured (requestsPerSecond = achieved rate)
   */
  public record HalfPeakRun(double targetRate, LoadResult load) {}
}
