package dev.vigil.bench.load;

import dev.vigil.bench.BenchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory after many requests spread over the 200 combinations of {@link RequestMix}: the service
 * runs with all instrumentation on, wrk sends the mix (warm-up first, which covers every
 * combination many times), and after each quarter of the requests the harness records resident
 * memory, live heap (after a full collection) and the number of series on {@code /metrics}. Series
 * count and memory must not grow with the number of requests. At the end it times {@code /metrics}
 * scrapes of the live service.
 */
public final class MemoryGrowth {

  private static final int CHUNKS = 4;
  private static final long MAX_RUN_SECONDS = 15;
  private static final int SCRAPES = 20;

  private final BenchSettings settings;
  private final ServiceSpec spec;
  private final Wrk wrk = new Wrk(Runtime.getRuntime().availableProcessors());

  /**
   * State of the service after some requests.
   *
   * @param requests requests served so far by the mix (including the warm-up)
   * @param rssKib VmRSS, KiB
   * @param heapUsedKib heap in use after a full collection, KiB
   * @param series samples on /metrics (lines that are not comments)
   * @param requestSeries series of {@code http_requests_total}
   */
  public record Checkpoint(
      long requests, long rssKib, long heapUsedKib, int series, int requestSeries) {}

  /**
   * The whole run.
   *
   * @param spec the configuration measured
   * @param checkpoints state after the warm-up and after each quarter of the requests
   * @param requestsPerSecond throughput of the mix in the last wrk run
   * @param scrapeMillis time of a live /metrics scrape over HTTP (text format), ms
   * @param scrapeBytes size of that scrape, bytes
   */
  public record Result(
      ServiceSpec spec,
      List<Checkpoint> checkpoints,
      double requestsPerSecond,
      Spread scrapeMillis,
      int scrapeBytes) {}

  /**
   * Creates the run.
   *
   * @param settings request count, warm-up, JDK
   * @param spec the configuration to measure (vigil with everything on)
   */
  public MemoryGrowth(BenchSettings settings, ServiceSpec spec) {
    this.settings = settings;
    this.spec = spec;
  }

  /**
   * Runs it.
   *
   * @return the checkpoints and the live scrape time
   * @throws IllegalStateException when the service fails or a tool fails
   */
  public Result run() {
    Path script = RequestMix.writeWrkScript(settings.workDir().resolve("request-mix.lua"));
    Path log = settings.workDir().resolve("logs").resolve(spec.key() + "-memory.log");
    int connections = settings.connections().get(settings.connections().size() - 1);
    try (ServiceUnderTest service = ServiceUnderTest.start(spec, log, settings.jcmd())) {
      service.awaitReady(Duration.ofSeconds(90));
      LoadResult warm = wrk.run(service.url("/"), connections, settings.warmup(), script);
      long served = warm.requests();
      List<Checkpoint> checkpoints = new ArrayList<>();
      checkpoints.add(checkpoint(service, served));
      long quarter = Math.max(1, settings.memoryRequests() / CHUNKS);
      long counted = 0;
      long nextCheckpoint = quarter;
      double rate = Math.max(1, warm.requestsPerSecond());
      while (counted < settings.memoryRequests()) {
        long seconds =
            Math.min(
                MAX_RUN_SECONDS, Math.max(1, (long) Math.ceil((nextCheckpoint - counted) / rate)));
        LoadResult run =
            wrk.run(service.url("/"), connections, Duration.ofSeconds(seconds), script);
        counted += run.requests();
        served += run.requests();
        rate = Math.max(1, run.requestsPerSecond());
        if (counted >= nextCheckpoint) {
          checkpoints.add(checkpoint(service, served));
          while (nextCheckpoint <= counted) {
            nextCheckpoint += quarter;
          }
          System.out.printf("bench: memory run, %,d requests served%n", served);
        }
      }
      List<Double> millis = new ArrayList<>();
      int bytes = 0;
      for (int i = 0; i < SCRAPES; i++) {
        long start = System.nanoTime();
        bytes = service.get("/metrics").length();
        millis.add((System.nanoTime() - start) / 1e6);
      }
      return new Result(
          spec, checkpoints, rate, Spread.of(millis.subList(SCRAPES / 2, SCRAPES)), bytes);
    }
  }

  private static Checkpoint checkpoint(ServiceUnderTest service, long served) {
    long heap = service.heapUsedAfterFullGcKib();
    long rss = ProcStat.rssKib(service.pid());
    String metrics = service.get("/metrics");
    int series = 0;
    int requestSeries = 0;
    for (String line : metrics.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        series++;
        if (line.startsWith("http_requests_total{")) {
          requestSeries++;
        }
      }
    }
    return new Checkpoint(served, rss, heap, series, requestSeries);
  }
}
