package dev.vigil.bench.load;

import dev.vigil.bench.BenchSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The side-by-side load comparison: in each round, every configuration (vigil with instrumentation
 * off, metrics, metrics + access log, everything; then the Spring peer) is started as a fresh JVM,
 * timed to ready, warmed up to its plateau and measured with wrk at each connection count, with hey
 * closed-loop (the second load generator, for the key ratios) and with hey at half its peak rate.
 * Configurations run one after another, never at the same time, so that each has the same 2 cores;
 * rounds interleave them, so that each run of (b) has an (a) run next to it to be compared with.
 */
public final class LoadComparison {

  private static final List<Endpoint> ENDPOINTS = List.of(Endpoint.PRODUCT, Endpoint.INDEX);
  private static final int MIN_WARMUP_RUNS = 2;

  /** The response header vigil's server tracing adds (the trace id of the request). */
  private static final String TRACE_HEADER = "X-Trace-Id";

  private static final int MAX_WARMUP_RUNS = 6;

  private final BenchSettings settings;
  private final List<ServiceSpec> specs;
  private final Wrk wrk;
  private final Hey hey = new Hey();

  /**
   * Creates the comparison.
   *
   * @param settings durations, rounds, connection counts, JDK
   * @param specs the configurations, in the order they run within a round
   */
  public LoadComparison(BenchSettings settings, List<ServiceSpec> specs) {
    this.settings = settings;
    this.specs = specs;
    this.wrk = new Wrk(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Runs every round.
   *
   * @return one entry per configuration and round, in run order
   * @throws IllegalStateException when a service fails to start, crashes or a tool fails
   */
  public List<ServiceRun> run() {
    List<ServiceRun> runs = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      for (ServiceSpec spec : specs) {
        System.out.printf("bench: round %d/%d, %s%n", round, settings.rounds(), spec.label());
        runs.add(measure(spec, round));
      }
    }
    return runs;
  }

  /**
   * @return the wrk command line of a measured run, for the report
   */
  public List<String> wrkCommandExample() {
    return wrk.command(
        java.net.URI.create("http://127.0.0.1:PORT" + Endpoint.PRODUCT.path()),
        settings.connections().get(settings.connections().size() - 1),
        settings.measure(),
        null);
  }

  /**
   * @return the hey command line of a closed-loop run (the second generator), for the report
   */
  public List<String> heyClosedLoopCommandExample() {
    return hey.closedLoopCommand(
        java.net.URI.create("http://127.0.0.1:PORT" + Endpoint.PRODUCT.path()),
        settings.heyConnections().get(settings.heyConnections().size() - 1),
        settings.measure());
  }

  /**
   * @return the hey command line of a half-peak run, for the report
   */
  public List<String> heyCommandExample() {
    return hey.command(
        java.net.URI.create("http://127.0.0.1:PORT" + Endpoint.PRODUCT.path()),
        settings.heyWorkers(),
        settings.heyWorkers() * 100.0,
        settings.measure());
  }

  private ServiceRun measure(ServiceSpec spec, int round) {
    Path log = settings.workDir().resolve("logs").resolve(spec.key() + ".log");
    try (ServiceUnderTest service = ServiceUnderTest.start(spec, log, settings.jcmd())) {
      double readyMillis = service.awaitReady(Duration.ofSeconds(90)).toNanos() / 1e6;
      checkServes(service);
      boolean traced =
          service.answersWithHeader(Endpoint.PRODUCT.path(), TRACE_HEADER)
              || service.answersWithHeader(Endpoint.PRODUCT.path(), "traceparent");
      double warmupSeconds = 0;
      for (Endpoint endpoint : ENDPOINTS) {
        warmupSeconds += warmUp(service, endpoint);
      }
      GcTotals gcBefore = service.gcTotals();
      long measureStart = System.nanoTime();
      AtomicLong maxRss = new AtomicLong();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(
          () -> maxRss.accumulateAndGet(ProcStat.rssKib(service.pid()), Math::max),
          0,
          250,
          TimeUnit.MILLISECONDS);
      Map<ServiceRun.Scenario, ServiceRun.ScenarioRun> closed = new LinkedHashMap<>();
      Map<ServiceRun.Scenario, ServiceRun.ScenarioRun> heyClosed = new LinkedHashMap<>();
      Map<Endpoint, ServiceRun.HalfPeakRun> half = new LinkedHashMap<>();
      try {
        // per endpoint, wrk at each connection count, then hey at its own: the two generators'
        // runs of one scenario are seconds apart on the same warm JVM
        for (Endpoint endpoint : ENDPOINTS) {
          for (int connections : settings.connections()) {
            closed.put(
                new ServiceRun.Scenario(endpoint, connections),
                accounted(
                    service,
                    () ->
                        wrk.run(
                            service.url(endpoint.path()), connections, settings.measure(), null)));
          }
          for (int connections : settings.heyConnections()) {
            heyClosed.put(
                new ServiceRun.Scenario(endpoint, connections),
                accounted(
                    service,
                    () ->
                        hey.runClosedLoop(
                            service.url(endpoint.path()), connections, settings.measure())));
          }
        }
        for (Endpoint endpoint : ENDPOINTS) {
          double peak =
              closed.entrySet().stream()
                  .filter(e -> e.getKey().endpoint().equals(endpoint))
                  .mapToDouble(e -> e.getValue().load().requestsPerSecond())
                  .max()
                  .orElseThrow();
          double target = peak / 2;
          half.put(
              endpoint,
              new ServiceRun.HalfPeakRun(
                  target,
                  hey.run(
                      service.url(endpoint.path()),
                      settings.heyWorkers(),
                      target,
                      settings.measure())));
        }
      } finally {
        sampler.shutdownNow();
      }
      double measureSeconds = (System.nanoTime() - measureStart) / 1e9;
      GcTotals gc = service.gcTotals().minus(gcBefore);
      long liveHeapKib = service.heapUsedAfterFullGcKib();
      return new ServiceRun(
          spec,
          round,
          traced,
          readyMillis,
          warmupSeconds,
          closed,
          heyClosed,
          half,
          maxRss.get(),
          liveHeapKib,
          gc,
          measureSeconds);
    }
  }

  /**
   * Runs a load generator and accounts the machine's CPU meanwhile: the service's, the generator's,
   * and everything else's.
   */
  private static ServiceRun.ScenarioRun accounted(
      ServiceUnderTest service, java.util.function.Supplier<LoadResult> generator) {
    long serviceBefore = ProcStat.processTicks(service.pid());
    long machineBefore = ProcStat.machineBusyTicks();
    LoadResult load = generator.get();
    double serviceSeconds =
        (ProcStat.processTicks(service.pid()) - serviceBefore) * ProcStat.SECONDS_PER_TICK;
    double machineSeconds =
        (ProcStat.machineBusyTicks() - machineBefore) * ProcStat.SECONDS_PER_TICK;
    double other = Math.max(0, machineSeconds - serviceSeconds - load.generatorCpuSeconds());
    return new ServiceRun.ScenarioRun(
        load, serviceSeconds / load.wallSeconds(), other / load.wallSeconds());
  }

  /**
   * Warms one endpoint up until the JIT has settled: wrk runs of the warm-up length at the highest
   * connection count, at least {@value #MIN_WARMUP_RUNS}, until a run is less than 10% faster than
   * the one before, at most {@value #MAX_WARMUP_RUNS}. A framework with more code to compile
   * (Spring) gets more warm-up than one with less, and both are measured at their plateau.
   *
   * @return seconds of warm-up load sent
   */
  private double warmUp(ServiceUnderTest service, Endpoint endpoint) {
    int connections = settings.connections().get(settings.connections().size() - 1);
    double previous = 0;
    double seconds = 0;
    for (int run = 1; run <= MAX_WARMUP_RUNS; run++) {
      LoadResult load = wrk.run(service.url(endpoint.path()), connections, settings.warmup(), null);
      seconds += load.wallSeconds();
      if (run >= MIN_WARMUP_RUNS && load.requestsPerSecond() < previous * 1.10) {
        break;
      }
      previous = load.requestsPerSecond();
    }
    return seconds;
  }

  /**
   * Fails early, with the body, when a benchmarked endpoint does not answer as the comparison
   * assumes.
   */
  private static void checkServes(ServiceUnderTest service) {
    String product = service.get(Endpoint.PRODUCT.path());
    if (!product.contains("\"id\":42") && !product.contains("\"id\": 42")) {
      throw new IllegalStateException(
          service.spec().label()
              + " did not serve product 42 from "
              + Endpoint.PRODUCT.path()
              + ": "
              + product);
    }
  }

  /**
   * Deletes the logs of an earlier bench, so that only this run's logs remain under
   * .vigil/bench/logs.
   *
   * @param settings where the work directory is
   * @throws IllegalStateException when the directory cannot be cleaned
   */
  public static void cleanLogs(BenchSettings settings) {
    Path logs = settings.workDir().resolve("logs");
    try {
      if (Files.isDirectory(logs)) {
        try (var files = Files.list(logs)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot clean " + logs + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts vigil once on an empty data directory, creating the database every later start reuses.
   *
   * @param settings where the data directory is
   * @param vigil a vigil configuration
   * @return milliseconds from process start to ready, schema migration and seeding included
   * @throws IllegalStateException when the directory cannot be emptied or vigil does not become
   *     ready
   */
  public static double firstStartMillis(BenchSettings settings, ServiceSpec vigil) {
    Path data = settings.workDir().resolve("data");
    try {
      if (Files.exists(data)) {
        try (var paths = Files.walk(data)) {
          for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot empty " + data + ": " + e.getMessage(), e);
    }
    System.out.println("bench: first start of vigil on an empty data directory");
    try (ServiceUnderTest service =
        ServiceUnderTest.start(
            vigil, settings.workDir().resolve("logs/first-start.log"), settings.jcmd())) {
      return service.awaitReady(Duration.ofSeconds(120)).toNanos() / 1e6;
    }
  }
}
