package dev.vigil.bench;

import dev.vigil.bench.load.Configuration;
import dev.vigil.bench.load.LoadComparison;
import dev.vigil.bench.load.MemoryGrowth;
import dev.vigil.bench.load.ServiceRun;
import dev.vigil.bench.load.ServiceSpec;
import dev.vigil.bench.scrape.ScrapeBenchmark;
import dev.vigil.bench.slo.ColdGenerate;
import dev.vigil.bench.slo.SloScale;
import dev.vigil.stack.ServiceCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole bench, as {@code ./vigil bench} runs it (through bench/run.sh, after the jars are
 * built): JMH hot path and scrape, the load comparison of vigil's four telemetry modes and the
 * Spring peer, the memory-growth run, SLO compilation of 1,000 SLOs (JMH, then cold CLI runs), then
 * docs/performance.md.
 *
 * <p>Usage: {@code java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.BenchRun <repository
 * root>}. Knobs are environment variables, see {@link BenchSettings}. Exit code 0 when the report
 * was written (targets missed are reported, not failed), 1 when a part could not run.
 */
public final class BenchRun {

  private BenchRun() {}

  /**
   * Runs the bench.
   *
   * @param args one argument: the repository root
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: BenchRun <repository root>   (normally started by ./vigil bench)");
      System.exit(2);
    }
    try {
      run(BenchSettings.from(Path.of(args[0]).toAbsolutePath().normalize(), System.getenv()));
    } catch (RuntimeException e) {
      System.err.println("bench failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(BenchSettings settings) {
    if (settings.parts().contains(BenchSettings.SCALE_PART)) {
      try {
        SloScale.main(new String[] {settings.root().toString()});
      } catch (Exception e) {
        throw new IllegalStateException("the SLO scale benchmark failed: " + e.getMessage(), e);
      }
      if (settings.parts().size() == 1) {
        return;
      }
    }
    Instant started = Instant.now();
    String loadAtStart = Machine.loadAverage();
    Path vigilJar = settings.root().resolve("cli/target/vigil.jar");
    Path springJar =
        settings.root().resolve("bench/peers/spring-catalog/target/spring-catalog.jar");
    for (Path jar : List.of(vigilJar, springJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: run bench/run.sh, which builds it first");
      }
    }
    // Other work rebuilds cli/target/vigil.jar at any time; a JVM whose jar is replaced under it
    // fails
    // to load classes. The services run from a private copy taken now.
    Path vigilCopy = settings.workDir().resolve("vigil.jar");
    try {
      Files.createDirectories(settings.workDir());
      Files.copy(vigilJar, vigilCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot copy " + vigilJar + " to " + vigilCopy + ": " + e.getMessage(), e);
    }
    List<ServiceSpec> specs = specs(settings, vigilCopy, springJar);
    Map<String, String> commands = new LinkedHashMap<>();
    commands.put(
        "vigil, per configuration",
        String.join(" ", specs.get(0).command())
            + "   # env VIGIL_TELEMETRY=none|metrics|metrics,access-log|metrics,access-log,tracing VIGIL_PORT={port};"
            + " (e) adds OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1");
    commands.put("Spring peer", String.join(" ", specs.get(specs.size() - 1).command()));

    List<JmhSuite.Figure> hotPath = List.of();
    List<JmhSuite.Figure> scrape = List.of();
    Map<String, BenchResults.ScrapeSize> sizes = new LinkedHashMap<>();
    if (settings.parts().contains("jmh")) {
      JmhSuite jmh = new JmhSuite(settings.jmhForks(), settings.heap());
      hotPath = jmh.hotPath();
      scrape = jmh.scrape();
      for (int series : List.of(1000, 10000, 50000)) {
        for (String format : List.of("text", "openmetrics")) {
          byte[] body = ScrapeBenchmark.exposition(series, format);
          int samples =
              (int)
                  new String(body, StandardCharsets.UTF_8)
                      .lines()
                      .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                      .count();
          sizes.put(series + "/" + format, new BenchResults.ScrapeSize(body.length, samples));
        }
      }
    }

    Double firstStart = null;
    List<ServiceRun> runs = List.of();
    LoadComparison comparison = new LoadComparison(settings, specs);
    commands.put(
        "peak throughput (per endpoint and connection count)",
        String.join(" ", comparison.wrkCommandExample()));
    commands.put(
        "the same, second load generator (per endpoint, hey closed-loop: no -q)",
        String.join(" ", comparison.heyClosedLoopCommandExample()));
    commands.put(
        "half the peak rate (-q is per worker: rate / workers)",
        String.join(" ", comparison.heyCommandExample()));
    if (settings.parts().contains("load") || settings.parts().contains("memory")) {
      LoadComparison.cleanLogs(settings);
      firstStart = LoadComparison.firstStartMillis(settings, specs.get(0));
    }
    if (settings.parts().contains("load")) {
      runs = comparison.run();
    }
    MemoryGrowth.Result memory = null;
    if (settings.parts().contains("memory")) {
      ServiceSpec everything =
          specs.stream()
              .filter(s -> s.configuration() == Configuration.ALL)
              .findFirst()
              .orElseThrow();
      memory = new MemoryGrowth(settings, everything).run();
      commands.put(
          "memory run (200-request mix)",
          "wrk -t2 -c"
              + settings.connections().get(settings.connections().size() - 1)
              + " -d<chunk>s --latency -s .vigil/bench/request-mix.lua http://127.0.0.1:{port}/");
    }

    JmhSuite.Figure sloCompile = null;
    ColdGenerate.Result sloCold = null;
    if (settings.parts().contains("slo")) {
      sloCompile = new JmhSuite(settings.jmhForks(), settings.heap()).sloCompile();
      sloCold =
          ColdGenerate.measure(settings.java(), vigilCopy, settings.workDir(), settings.rounds());
    }

    BenchResults results =
        new BenchResults(
            settings,
            Machine.describe(settings, loadAtStart),
            started,
            Instant.now(),
            hotPath,
            scrape,
            sizes,
            specs,
            firstStart,
            runs,
            memory,
            sloCompile,
            sloCold,
            commands);
    Path report = settings.root().resolve("docs/performance.md");
    PerformanceReport.write(
        results,
        report,
        settings.root().resolve("bench/analysis.md"),
        settings.root().resolve(PerformanceReport.GOALS_FILE));
    System.out.println(
        "bench: wrote "
            + report
            + " in "
            + Duration.between(started, Instant.now()).toMinutes()
            + " min");
  }

  /** vigil in its four telemetry modes, then the Spring peer; same JDK, same heap. */
  private static List<ServiceSpec> specs(BenchSettings settings, Path vigilJar, Path springJar) {
    String java = settings.java().toString();
    String xms = "-Xms" + settings.heap();
    String xmx = "-Xmx" + settings.heap();
    List<ServiceSpec> specs = new ArrayList<>();
    for (Configuration vigil :
        List.of(
            Configuration.NONE,
            Configuration.METRICS,
            Configuration.ACCESS_LOG,
            Configuration.ALL)) {
      specs.add(vigil(vigil, Map.of(), java, xms, xmx, vigilJar, settings));
    }
    // (e) is (d) with the head sampling Spring Boot's peer has by default: 10% of new traces
    // recorded; the others still get trace ids (logs, X-Trace-Id, propagation) but no recorded
    // span.
    specs.add(
        vigil(
            Configuration.SAMPLED,
            Map.of(
                "OTEL_TRACES_SAMPLER",
                "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG",
                "0.1"),
            java,
            xms,
            xmx,
            vigilJar,
            settings));
    specs.add(
        new ServiceSpec(
            Configuration.SPRING,
            List.of(
                java, xms, xmx, "-jar", springJar.toString(), "--server.port=" + ServiceSpec.PORT),
            Map.of(),
            "/actuator/health"));
    return specs;
  }

  private static ServiceSpec vigil(
      Configuration configuration,
      Map<String, String> extraEnv,
      String java,
      String xms,
      String xmx,
      Path vigilJar,
      BenchSettings settings) {
    Map<String, String> env =
        new java.util.LinkedHashMap<>(
            Map.of(
                "VIGIL_HOST",
                "127.0.0.1",
                "VIGIL_PORT",
                ServiceSpec.PORT,
                "VIGIL_DATA_DIR",
                settings.workDir().resolve("data").toString(),
                "VIGIL_TELEMETRY",
                configuration.telemetry()));
    env.putAll(extraEnv);
    // the catalog's JVM options as ./vigil up gives them, then the heap both services share
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(ServiceCommands.CATALOG_JVM_OPTIONS);
    command.addAll(List.of(xms, xmx, "-jar", vigilJar.toString(), "catalog"));
    return new ServiceSpec(configuration, command, env, "/readyz");
  }
}
