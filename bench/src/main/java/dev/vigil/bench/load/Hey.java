package dev.vigil.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load with hey, the bench's second load generator (Go's HTTP client, independent of wrk): closed
 * loop for the second measurement of the key throughput ratios, and rate-limited ({@code -q}:
 * queries per second per worker) for the latency at half the peak rate. hey is not a true open-loop
 * generator: each worker waits for its response before the next tick, so a slow response delays the
 * following request instead of queueing behind it (coordinated omission). With many workers, each
 * far below its own limit, the effect is small at half load; the report states the achieved rate
 * beside the target.
 */
final class Hey {

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern STATUS = Pattern.compile("\\[(\\d{3})]\\s+(\\d+) responses");
  private static final Pattern ERRORS = Pattern.compile("\\[(\\d+)]\\s+Get ");

  /**
   * The command line of a run.
   *
   * @param url target URL
   * @param workers concurrent workers ({@code -c})
   * @param totalRate target rate over all workers, requests per second
   * @param duration run length ({@code -z}, whole seconds)
   * @return the command and arguments
   */
  List<String> command(URI url, int workers, double totalRate, Duration duration) {
    return List.of(
        "hey",
        "-z",
        duration.toSeconds() + "s",
        "-c",
        String.valueOf(workers),
        "-q",
        String.format(Locale.ROOT, "%.2f", totalRate / workers),
        "-disable-compression",
        url.toString());
  }

  /**
   * The command line of a closed-loop run: no rate limit, each worker sends its next request as
   * soon as its response arrives (as wrk's connections do), so the result is the peak throughput at
   * that concurrency.
   *
   * @param url target URL
   * @param workers concurrent workers ({@code -c}), one keep-alive connection each
   * @param duration run length ({@code -z}, whole seconds)
   * @return the command and arguments
   */
  List<String> closedLoopCommand(URI url, int workers, Duration duration) {
    return List.of(
        "hey",
        "-z",
        duration.toSeconds() + "s",
        "-c",
        String.valueOf(workers),
        "-disable-compression",
        url.toString());
  }

  /**
   * Runs hey closed-loop ({@link #closedLoopCommand}) and parses its summary.
   *
   * @param url target URL
   * @param workers concurrent workers
   * @param duration run length
   * @return throughput, latency percentiles, errors and hey's CPU time
   * @throws IllegalStateException when hey fails or prints no summary
   */
  LoadResult runClosedLoop(URI url, int workers, Duration duration) {
    MeasuredCommand.Outcome outcome =
        MeasuredCommand.run(closedLoopCommand(url, workers, duration));
    return parse(outcome.output(), outcome.cpuSeconds(), outcome.wallSeconds());
  }

  /**
   * Runs hey and parses its summary.
   *
   * @param url target URL
   * @param workers concurrent workers
   * @param totalRate target rate over all workers, requests per second
   * @param duration run length
   * @return achieved throughput, latency percentiles, errors and hey's CPU time
   * @throws IllegalStateException when hey fails or prints no summary
   */
  LoadResult run(URI url, int workers, double totalRate, Duration duration) {
    MeasuredCommand.Outcome outcome =
        MeasuredCommand.run(command(url, workers, totalRate, duration));
    return parse(outcome.output(), outcome.cpuSeconds(), outcome.wallSeconds());
  }

  /**
   * Parses hey's summary.
   *
   * @param output what hey printed
   * @param cpuSeconds hey's CPU time
   * @param wallSeconds elapsed time
   * @return the result
   * @throws IllegalStateException when a field is missing (the message quotes the output)
   */
  static LoadResult parse(String output, double cpuSeconds, double wallSeconds) {
    Matcher rps = RPS.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("hey printed no Requests/sec:\n" + output);
    }
    long requests = 0;
    long errors = 0;
    Matcher status = STATUS.matcher(output);
    while (status.find()) {
      long n = Long.parseLong(status.group(2));
      requests += n;
      if (Integer.parseInt(status.group(1)) >= 400) {
        errors += n;
      }
    }
    Matcher failed = ERRORS.matcher(output);
    while (failed.find()) {
      errors += Long.parseLong(failed.group(1));
    }
    return new LoadResult(
        Double.parseDouble(rps.group(1)),
        percentileMillis(output, "50%"),
        percentileMillis(output, "99%"),
        requests,
        errors,
        cpuSeconds,
        wallSeconds);
  }

  private static double percentileMillis(String output, String percentile) {
    Matcher m = Pattern.compile(Pattern.quote(percentile) + " in ([\\d.]+) secs").matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("hey printed no " + percentile + " latency:\n" + output);
    }
    return Double.parseDouble(m.group(1)) * 1000;
  }
}
