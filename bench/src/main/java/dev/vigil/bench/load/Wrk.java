package dev.vigil.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop load with wrk (keep-alive, fixed duration, {@code --latency} for the percentiles):
 * each connection sends its next request as soon as the previous response arrives, so the result is
 * the peak throughput at that concurrency.
 */
final class Wrk {

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final int threads;

  /**
   * Creates a runner.
   *
   * @param threads wrk threads ({@code -t}), normally the number of cores
   */
  Wrk(int threads) {
    this.threads = threads;
  }

  /**
   * The command line of a run, as it is executed and printed in the report.
   *
   * @param url target URL
   * @param connections open connections ({@code -c})
   * @param duration run length ({@code -d}, whole seconds)
   * @param script a wrk Lua script choosing each request, or {@code null} for {@code url} only
   * @return the command and arguments
   */
  List<String> command(URI url, int connections, Duration duration, Path script) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t" + Math.min(threads, connections),
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--latency"));
    if (script != null) {
      command.add("-s");
      command.add(script.toString());
    }
    command.add(url.toString());
    return command;
  }

  /**
   * Runs wrk and parses its report.
   *
   * @param url target URL
   * @param connections open connections
   * @param duration run length (whole seconds)
   * @param script Lua script or {@code null}
   * @return throughput, latency percentiles, errors and wrk's own CPU time
   * @throws IllegalStateException when wrk fails or prints no result
   */
  LoadResult run(URI url, int connections, Duration duration, Path script) {
    MeasuredCommand.Outcome outcome =
        MeasuredCommand.run(command(url, connections, duration, script));
    return parse(outcome.output(), outcome.cpuSeconds(), outcome.wallSeconds());
  }

  /**
   * Parses wrk's text report.
   *
   * @param output what wrk printed
   * @param cpuSeconds wrk's CPU time
   * @param wallSeconds elapsed time
   * @return the result
   * @throws IllegalStateException when a field is missing (the message quotes the output)
   */
  static LoadResult parse(String output, double cpuSeconds, double wallSeconds) {
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET.matcher(output);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    return new LoadResult(
        Double.parseDouble(find(RPS, output)),
        percentileMillis(output, "50%"),
        percentileMillis(output, "99%"),
        Long.parseLong(find(TOTAL, output)),
        errors,
        cpuSeconds,
        wallSeconds);
  }

  private static double percentileMillis(String output, String percentile) {
    Matcher m =
        Pattern.compile(
                "^\\s*" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s|m)\\s*$",
                Pattern.MULTILINE)
            .matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("wrk printed no " + percentile + " latency:\n" + output);
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "ms" -> value;
      case "s" -> value * 1000;
      default -> value * 60_000;
    };
  }

  private static String find(Pattern pattern, String output) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("wrk output has no '" + pattern + "':\n" + output);
    }
    return m.group(1);
  }
}
