package dev.vigil.bench.load;

/**
 * What one load-generator run measured.
 *
 * @param requestsPerSecond completed requests per second over the run
 * @param p50Millis median latency in milliseconds
 * @param p99Millis 99th percentile latency in milliseconds
 * @param requests completed requests
 * @param errors non-2xx/3xx responses plus socket errors
 * @param generatorCpuSeconds CPU time (user + system) the load generator itself used, in seconds
 * @param wallSeconds duration of the run, in seconds
 */
public record LoadResult(
    double requestsPerSecond,
    double p50Millis,
    double p99Millis,
    long requests,
    long errors,
    double generatorCpuSeconds,
    double wallSeconds) {

  /**
   * CPU share of the load generator.
   *
   * @return cores it kept busy on average (0..2 on a 2-core machine)
   */
  public double generatorCores() {
    return wallSeconds > 0 ? generatorCpuSeconds / wallSeconds : 0;
  }
}
