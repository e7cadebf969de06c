package dev.vigil.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The knobs of one bench run, from environment variables with defaults that keep the whole run
 * under about 15 minutes on 2 cores.
 *
 * @param root the repository root (where {@code cli/target/vigil.jar} and {@code docs/} are)
 * @param javaHome the JDK that runs both services and the JMH forks
 * @param heap the heap size given to both services as {@code -Xms} and {@code -Xmx}, e.g. {@code
 *     128m}
 * @param rounds rounds of the load comparison; each figure is the median of these ({@code
 *     BENCH_ROUNDS})
 * @param connections wrk connection counts ({@code BENCH_CONNECTIONS}, comma list)
 * @param measure length of each measured load run ({@code BENCH_SECONDS})
 * @param warmup length of each warm-up run; runs repeat until throughput settles ({@code
 *     BENCH_WARMUP_SECONDS})
 * @param heyWorkers workers of the half-peak run ({@code BENCH_HEY_WORKERS})
 * @param heyConnections connection counts at which hey, the second load generator, measures peak
 *     throughput beside wrk ({@code BENCH_HEY_CONNECTIONS}, comma list; default wrk's highest)
 * @param memoryRequests requests of the memory-growth run ({@code BENCH_MEMORY_REQUESTS})
 * @param jmhForks JMH forks per benchmark; each figure is the median over forks ({@code
 *     BENCH_JMH_FORKS})
 * @param parts what to run: {@code jmh}, {@code load}, {@code memory}, {@code slo}, {@code scale}
 *     ({@code BENCH_PARTS}, comma list; {@code scale} only when named); a run of only some parts
 *     rewrites only their sections of the report (see {@link PerformanceReport})
 */
public record BenchSettings(
    Path root,
    Path javaHome,
    String heap,
    int rounds,
    List<Integer> connections,
    Duration measure,
    Duration warmup,
    int heyWorkers,
    List<Integer> heyConnections,
    long memoryRequests,
    int jmhForks,
    Set<String> parts) {

  /** Every part, in report order; the default of {@code BENCH_PARTS}. */
  public static final List<String> ALL_PARTS = List.of("jmh", "load", "memory", "slo");

  /**
   * The SLO scale benchmark ({@link dev.vigil.bench.slo.SloScale}, about 10 minutes and 10 GB of
   * temporary files): run only when {@code BENCH_PARTS} names it, and it writes its own section.
   */
  public static final String SCALE_PART = "scale";

  /**
   * Reads the settings.
   *
   * @param root repository root
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the settings
   * @throws IllegalArgumentException when a variable is not a number where one is needed, or {@code
   *     BENCH_PARTS} names an unknown part, naming it
   */
  public static BenchSettings from(Path root, Map<String, String> env) {
    List<Integer> connections = numbers(env.getOrDefault("BENCH_CONNECTIONS", "16,64"));
    return new BenchSettings(
        root,
        Path.of(env.getOrDefault("JAVA_HOME", System.getProperty("java.home"))),
        env.getOrDefault("BENCH_HEAP", "128m"),
        number(env, "BENCH_ROUNDS", 3),
        connections,
        Duration.ofSeconds(number(env, "BENCH_SECONDS", 4)),
        Duration.ofSeconds(number(env, "BENCH_WARMUP_SECONDS", 3)),
        number(env, "BENCH_HEY_WORKERS", 32),
        numbers(
            env.getOrDefault(
                "BENCH_HEY_CONNECTIONS", String.valueOf(connections.get(connections.size() - 1)))),
        number(env, "BENCH_MEMORY_REQUESTS", 1_000_000),
        number(env, "BENCH_JMH_FORKS", 3),
        parts(env.getOrDefault("BENCH_PARTS", String.join(",", ALL_PARTS))));
  }

  /**
   * @return whether this run measures every part, so that it rewrites the whole report
   */
  public boolean allParts() {
    return parts.containsAll(ALL_PARTS);
  }

  /**
   * @return the java executable of {@link #javaHome}
   */
  public Path java() {
    return javaHome.resolve("bin/java");
  }

  /**
   * @return the jcmd executable of {@link #javaHome}
   */
  public Path jcmd() {
    return javaHome.resolve("bin/jcmd");
  }

  /**
   * @return where the bench keeps logs, scripts and the service's data: {@code .vigil/bench/}
   */
  public Path workDir() {
    return root.resolve(".vigil/bench");
  }

  private static Set<String> parts(String list) {
    Set<String> parts =
        Arrays.stream(list.split(",")).map(String::trim).collect(Collectors.toSet());
    for (String part : parts) {
      if (!ALL_PARTS.contains(part) && !part.equals(SCALE_PART)) {
        throw new IllegalArgumentException(
            "BENCH_PARTS="
                + list
                + " names '"
                + part
                + "'; the parts are "
                + String.join(",", ALL_PARTS)
                + " and "
                + SCALE_PART
                + " (unset it to run all but "
                + SCALE_PART
                + ")");
      }
    }
    return parts;
  }

  private static List<Integer> numbers(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + "=" + value + " is not a whole number; unset it or give e.g. " + fallback, e);
    }
  }
}
