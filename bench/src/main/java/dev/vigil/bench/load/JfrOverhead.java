package dev.vigil.bench.load;

import com.sun.management.OperatingSystemMXBean;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.profiling.ProfileSettings;
import dev.vigil.telemetry.profiling.ServerSpanEvent;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;

/**
 * What a running JDK Flight Recorder recording costs a service: a catalog-like service (Javalin on
 * virtual threads, vigil's telemetry with metrics and tracing, {@code GET /api/products/{id}} from
 * a map as JSON) runs in this JVM and wrk drives it over loopback, with no recording, a recording
 * with the JDK's {@code default} settings and one with its {@code profile} settings (plus vigil's
 * {@link ServerSpanEvent}), as {@code vigil profile} records. The three configurations run side by
 * side in one run: every round runs each of them once, in a rotating order, so drift of a shared
 * machine spreads over all three. Per configuration: requests/s (wrk), p99 latency, and the service
 * JVM's CPU time per 1,000 requests (less sensitive to other processes than throughput is).
 *
 * <p>{@code java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.load.JfrOverhead}; knobs
 * (environment): {@code BENCH_ROUNDS} (5), {@code BENCH_SECONDS} (5), {@code BENCH_CONNECTIONS}
 * (16). Prints a Markdown table.
 */
public final class JfrOverhead {

  private static final List<String> CONFIGURATIONS = List.of("none", "default", "profile");

  private JfrOverhead() {}

  /**
   * Runs the comparison and prints the table.
   *
   * @param args none
   */
  public static void main(String[] args) {
    int rounds = env("BENCH_ROUNDS", 5);
    Duration seconds = Duration.ofSeconds(env("BENCH_SECONDS", 5));
    int connections = env("BENCH_CONNECTIONS", 16);
    int warmupRounds = env("BENCH_WARMUP_ROUNDS", 2);
    Tracing tracing = Tracing.fromEnvironment("bench", Map.of());
    Javalin service = start(tracing);
    URI url = URI.create("http://127.0.0.1:" + service.port() + "/api/products/42");
    Wrk wrk = new Wrk(2);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, List<Double>> rps = new LinkedHashMap<>();
    Map<String, List<Double>> p99 = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    CONFIGURATIONS.forEach(
        c -> {
          rps.put(c, new ArrayList<>());
          p99.put(c, new ArrayList<>());
          cpu.put(c, new ArrayList<>());
        });
    try {
      System.err.println("warming up " + url + " (" + warmupRounds + " rounds, discarded) ...");
      for (int round = -warmupRounds; round < rounds; round++) {
        for (int i = 0; i < CONFIGURATIONS.size(); i++) {
          String configuration =
              CONFIGURATIONS.get(Math.floorMod(round + i, CONFIGURATIONS.size()));
          Recording recording = null;
          if (!configuration.equals("none")) {
            recording = new Recording(ProfileSettings.parse(configuration).configuration());
            recording.enable(ServerSpanEvent.class);
            recording.setToDisk(true);
            recording.start();
          }
          long cpuBefore = os.getProcessCpuTime();
          LoadResult result = wrk.run(url, connections, seconds, null);
          long cpuNanos = os.getProcessCpuTime() - cpuBefore;
          if (recording != null) {
            recording.stop();
            recording.close();
          }
          if (round >= 0) {
            rps.get(configuration).add(result.requestsPerSecond());
            p99.get(configuration).add(result.p99Millis());
            cpu.get(configuration).add(cpuNanos / 1e6 / result.requests() * 1000);
          }
          System.err.printf(
              Locale.ROOT,
              "round %2d %-8s %,10.0f req/s  p99 %6.2f ms  %6.1f CPU ms per 1,000 requests%n",
              round + 1,
              configuration,
              result.requestsPerSecond(),
              result.p99Millis(),
              cpuNanos / 1e6 / result.requests() * 1000);
        }
      }
    } finally {
      service.stop();
      tracing.close();
    }
    System.out.println(table(rps, p99, cpu, rounds, seconds, connections));
  }

  private static String table(
      Map<String, List<Double>> rps,
      Map<String, List<Double>> p99,
      Map<String, List<Double>> cpu,
      int rounds,
      Duration seconds,
      int connections) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "%d rounds x %d s per configuration, wrk -t2 -c%d, median (min–max)%n%n",
            rounds,
            seconds.toSeconds(),
            connections));
    md.append(
        "| recording | requests/s | ratio to none (medians) | p99 ms | service CPU ms per 1,000 requests |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    double none = Spread.of(rps.get("none")).median();
    for (String c : CONFIGURATIONS) {
      Spread r = Spread.of(rps.get(c));
      md.append("| ")
          .append(c)
          .append(" | ")
          .append(r.format(0))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", r.median() / none))
          .append(" | ")
          .append(Spread.of(p99.get(c)).format(2))
          .append(" | ")
          .append(Spread.of(cpu.get(c)).format(1))
          .append(" |\n");
    }
    return md.toString();
  }

  private static Javalin start(Tracing tracing) {
    TelemetryPlugin telemetry =
        new TelemetryPlugin(TelemetrySwitches.parse("metrics,tracing")).tracing(tracing);
    Map<String, Map<String, Object>> catalogue = new LinkedHashMap<>();
    for (int id = 1; id <= 100; id++) {
      catalogue.put(
          Integer.toString(id),
          Map.of("id", id, "name", "product " + id, "price_cents", 100 * id, "stock", 7));
    }
    return Javalin.create(
            config -> {
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.registerPlugin(telemetry);
              config.routes.get(
                  "/api/products/{id}",
                  ctx ->
                      ctx.contentType("application/json")
                          .result(
                              JsonBody.mapper()
                                  .writeValueAsBytes(catalogue.get(ctx.pathParam("id")))));
            })
        .start("127.0.0.1", 0);
  }

  private static int env(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
