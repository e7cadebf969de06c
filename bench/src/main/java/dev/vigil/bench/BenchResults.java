package dev.vigil.bench;

import dev.vigil.bench.load.MemoryGrowth;
import dev.vigil.bench.load.ServiceRun;
import dev.vigil.bench.load.ServiceSpec;
import dev.vigil.bench.slo.ColdGenerate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one bench run measured, handed to {@link PerformanceReport}. Parts that were not run
 * ({@code BENCH_PARTS}) are empty lists or {@code null}.
 *
 * @param settings the knobs of the run
 * @param machine what it ran on
 * @param started start of the run
 * @param finished end of the run
 * @param hotPath JMH figures of the recording path
 * @param scrape JMH figures of the scrape
 * @param scrapeSizes exposition size by "series/format", e.g. {@code "1000/text"}
 * @param specs the configurations compared, in run order (the first is the baseline (a))
 * @param firstStartMillis start-to-ready of vigil on an empty data directory (schema + seed), ms
 * @param runs the load runs
 * @param memory the memory-growth run
 * @param sloCompile JMH figure of {@code vigil slo generate} on 1,000 SLOs, ms per operation
 * @param sloCold the same command as a fresh JVM per run, wall time
 * @param commands the command lines used, by purpose
 */
public record BenchResults(
    BenchSettings settings,
    Machine machine,
    Instant started,
    Instant finished,
    List<JmhSuite.Figure> hotPath,
    List<JmhSuite.Figure> scrape,
    Map<String, ScrapeSize> scrapeSizes,
    List<ServiceSpec> specs,
    Double firstStartMillis,
    List<ServiceRun> runs,
    MemoryGrowth.Result memory,
    JmhSuite.Figure sloCompile,
    ColdGenerate.Result sloCold,
    Map<String, String> commands) {

  /**
   * Size of one exposition.
   *
   * @param bytes body size, bytes
   * @param samples sample lines (not comments): the series actually written
   */
  public record ScrapeSize(int bytes, int samples) {}
}
