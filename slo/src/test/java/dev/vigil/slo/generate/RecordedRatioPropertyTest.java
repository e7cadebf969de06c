package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.spec.SpecReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random event histories of two catalog replicas through the catalog availability rules, evaluated
 * by promtool, against a brute-force computation from the raw sampled counters written here (sum of
 * the increases between consecutive samples of each series, a drop being a counter reset that
 * restarts from 0; no Prometheus model).
 *
 * <p>Histories ({@link History}): 90 minutes; day/night volume swings (a night of 1/50 the volume);
 * background errors of 0-0.2%; one incident of 1-30 minutes at 0-100% errors; replica b restarts
 * (its counters reset to 0) at a random minute or never; replica a misses scrapes at up to 4 random
 * minutes (scrape gaps); and some histories have no bad series at all (nothing failed) or no good
 * series at all (a new deployment where everything fails).
 *
 * <p>Scrape gaps, as documented in docs/slo-spec.md: every recording counts the events of the
 * minute before its evaluation ({@code slo:sli_bad:increase1m}), and each window sums those. On
 * these histories, scraped once a minute, a missing sample leaves the minutes on either side of it
 * with a single sample of that series, so the increments across the gap are not counted (at vigil's
 * 15 s scrape one missed scrape still leaves three samples in the minute). The brute force states
 * exactly that: it sums the increases between samples one minute apart.
 *
 * <p>Alert timing: for every minute and every tier, whether the tier fires must equal its condition
 * in the brute-force series (long and short window error ratios above factor x budget, at least the
 * minimum events in the long window) held for the tier's {@code for}. The documented lag is exactly
 * that {@code for} (0 for the default tiers): recording and alerting rules share one group
 * evaluated every minute, so an alert sees the ratios recorded at the same evaluation. Minutes
 * whose ratio is exactly on a threshold are not asserted (float rounding inside Prometheus decides
 * there).
 */
class RecordedRatioPropertyTest {

  private static final int MINUTES = 90;
  private static final int[] CHECKPOINTS = {60, 75, MINUTES};
  private static final int[] WINDOWS = {5, 30, 60};

  /** Histories generated per run by each property (jqwik tries). */
  static final int TRIES = 12;

  /**
   * One history: per replica and minute the events and bad events, and which samples exist.
   *
   * @param events [replica][minute 1..N] events in that minute
   * @param bad [replica][minute 1..N] bad events in that minute
   * @param restart minute at which replica 1 restarts (its counters start again from 0), or -1
   * @param gaps minutes at which replica 0 was not scraped
   * @param mode which series exist
   */
  record History(long[][] events, long[][] bad, int restart, Set<Integer> gaps, Mode mode) {

    /** Which of the good (status 200) and bad (status 500) series exist. */
    enum Mode {
      BOTH,
      NO_BAD_SERIES,
      NO_GOOD_SERIES
    }

    /** The sampled counter value of a replica's series at each minute (null: not scraped). */
    Long[] samples(int replica, boolean badSeries) {
      Long[] out = new Long[MINUTES + 1];
      long value = 0;
      for (int m = 0; m <= MINUTES; m++) {
        if (m > 0) {
          long inc = badSeries ? bad[replica][m] : events[replica][m] - bad[replica][m];
          value = (replica == 1 && m == restart) ? inc : value + inc;
        }
        out[m] = replica == 0 && gaps.contains(m) ? null : value;
      }
      return out;
    }

    List<Long[]> badSeries() {
      return mode == Mode.NO_BAD_SERIES ? List.of() : List.of(samples(0, true), samples(1, true));
    }

    List<Long[]> goodSeries() {
      return mode == Mode.NO_GOOD_SERIES
          ? List.of()
          : List.of(samples(0, false), samples(1, false));
    }
  }

  @Provide
  Arbitrary<History> histories() {
    Arbitrary<Integer> base = Arbitraries.integers().between(100, 2000);
    Arbitrary<Integer> nightStart = Arbitraries.integers().between(10, 60);
    Arbitrary<Integer> nightLength = Arbitraries.integers().between(5, 30);
    Arbitrary<Integer> incidentStart = Arbitraries.integers().between(5, 85);
    Arbitrary<Integer> incidentLength = Arbitraries.integers().between(1, 30);
    Arbitrary<Integer> incidentPercent = Arbitraries.integers().between(0, 100);
    Arbitrary<Integer> backgroundPermille = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> restart =
        Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(2, MINUTES - 1));
    Arbitrary<Set<Integer>> gaps =
        Arbitraries.integers().between(1, MINUTES - 1).set().ofMaxSize(4);
    Arbitrary<History.Mode> mode =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(History.Mode.BOTH)),
            Tuple.of(1, Arbitraries.just(History.Mode.NO_BAD_SERIES)),
            Tuple.of(1, Arbitraries.just(History.Mode.NO_GOOD_SERIES)));
    Arbitrary<long[]> noise =
        Arbitraries.longs().between(50, 150).array(long[].class).ofSize(2 * MINUTES + 2);
    List<Arbitrary<Object>> parts =
        List.of(
            base.asGeneric(),
            nightStart.asGeneric(),
            nightLength.asGeneric(),
            incidentStart.asGeneric(),
            incidentLength.asGeneric(),
            incidentPercent.asGeneric(),
            backgroundPermille.asGeneric(),
            restart.asGeneric(),
            gaps.asGeneric(),
            mode.asGeneric(),
            noise.asGeneric());
    return Combinators.combine(parts)
        .as(
            v -> {
              long[][] events = new long[2][MINUTES + 1];
              long[][] bad = new long[2][MINUTES + 1];
              History.Mode m = (History.Mode) v.get(9);
              long[] n = (long[]) v.get(10);
              int night = (Integer) v.get(1);
              int nightEnd = night + (Integer) v.get(2);
              int from = (Integer) v.get(3);
              int to = from + (Integer) v.get(4);
              for (int r = 0; r < 2; r++) {
                for (int t = 1; t <= MINUTES; t++) {
                  long volume = (Integer) v.get(0) * n[r * (MINUTES + 1) + t] / 100;
                  if (t >= night && t < nightEnd) {
                    volume = Math.max(1, volume / 50);
                  }
                  long failed =
                      t >= from && t < to
                          ? volume * (Integer) v.get(5) / 100
                          : volume * (Integer) v.get(6) / 1000;
                  events[r][t] = volume;
                  bad[r][t] =
                      switch (m) {
                        case BOTH -> failed;
                        case NO_BAD_SERIES -> 0;
                        case NO_GOOD_SERIES -> volume;
                      };
                }
              }
              @SuppressWarnings("unchecked")
              Set<Integer> g = new TreeSet<>((Set<Integer>) v.get(8));
              return new History(events, bad, (Integer) v.get(7), g, m);
            });
  }

  @Property(tries = TRIES)
  void recordedRatiosEqualBruteForceFromRawCounters(@ForAll("histories") History h)
      throws Exception {
    List<Object> checks = new ArrayList<>();
    for (int t : CHECKPOINTS) {
      for (int w : WINDOWS) {
        checks.add(check(SloSeries.errorRatio(PromDuration.parse(w + "m")), t, ratio(h, t, w)));
      }
      checks.add(check(SloSeries.PERIOD_ERROR_RATIO, t, ratio(h, t, t)));
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put("input_series", inputSeries(h));
    test.put("promql_expr_test", checks);
    run(test);
  }

  @Property(tries = TRIES)
  void eachTierFiresExactlyWhenItsBruteForceConditionHolds(@ForAll("histories") History h)
      throws Exception {
    History gapless = new History(h.events(), h.bad(), h.restart(), Set.of(), h.mode());
    Slo slo = availability();
    BigDecimal budget = slo.errorBudget();
    List<Object> checks = new ArrayList<>();
    for (AlertTier tier : slo.alerting().enabledTiers()) {
      BigDecimal threshold = tier.factor(slo.period()).multiply(budget);
      int lw = (int) tier.longWindow().minutes();
      int sw = (int) tier.shortWindow().minutes();
      long forMinutes = tier.forDuration().minutes();
      int heldSince = -1;
      for (int t = 1; t <= MINUTES; t++) {
        long[] longW = increases(gapless, t, lw);
        long[] shortW = increases(gapless, t, sw);
        int longSide = side(longW, threshold);
        int shortSide = side(shortW, threshold);
        boolean onEdge = longSide == 0 || shortSide == 0;
        boolean holds = longSide > 0 && shortSide > 0 && longW[1] >= slo.alerting().minEvents();
        heldSince = holds ? (heldSince < 0 ? t : heldSince) : -1;
        boolean fires = heldSince >= 0 && t - heldSince >= forMinutes;
        if (onEdge) {
          // float rounding decides; skip this minute and the for that follows
          heldSince = -1;
          continue;
        }
        String firing =
            "count(ALERTS{alertstate=\"firing\",slo=\"availability\",long_window=\""
                + tier.longWindow()
                + "\"})";
        checks.add(
            Map.of(
                "eval_time",
                t + "m",
                "expr",
                firing,
                "exp_samples",
                fires ? List.of(Map.of("labels", "{}", "value", 1)) : List.of()));
      }
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put("input_series", inputSeries(gapless));
    test.put("promql_expr_test", checks);
    run(test);
  }

  private static List<Object> inputSeries(History h) {
    List<Object> series = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      String instance = r == 0 ? "a" : "b";
      if (h.mode() != History.Mode.NO_GOOD_SERIES) {
        series.add(
            Map.of(
                "series",
                "http_requests_total{service=\"catalog\",status=\"200\",instance=\""
                    + instance
                    + "\"}",
                "values",
                values(h.samples(r, false))));
      }
      if (h.mode() != History.Mode.NO_BAD_SERIES) {
        series.add(
            Map.of(
                "series",
                "http_requests_total{service=\"catalog\",status=\"500\",instance=\""
                    + instance
                    + "\"}",
                "values",
                values(h.samples(r, true))));
      }
    }
    return series;
  }

  private static String values(Long[] samples) {
    StringBuilder out = new StringBuilder();
    for (Long v : samples) {
      out.append(v == null ? "_" : v.toString()).append(' ');
    }
    return out.toString().strip();
  }

  /**
   * Brute force: {bad, total} events in the window of w minutes ending at minute t (the samples at
   * minutes t-w..t, clamped at 0), summed over the series: the increases between samples one minute
   * apart, a drop being a reset from 0 (a missing sample loses the increments across it, see the
   * class doc).
   */
  static long[] increases(History h, int t, int w) {
    long bad = 0;
    for (Long[] s : h.badSeries()) {
      bad += increase(s, Math.max(0, t - w), t);
    }
    long good = 0;
    for (Long[] s : h.goodSeries()) {
      good += increase(s, Math.max(0, t - w), t);
    }
    return new long[] {bad, bad + good};
  }

  private static long increase(Long[] samples, int from, int to) {
    long sum = 0;
    for (int m = from + 1; m <= to; m++) {
      Long previous = samples[m - 1];
      Long v = samples[m];
      if (previous != null && v != null) {
        sum += v >= previous ? v - previous : v;
      }
    }
    return sum;
  }

  /** Sign of bad/total - threshold, exactly; -1 without events. */
  private static int side(long[] badAndTotal, BigDecimal threshold) {
    if (badAndTotal[1] == 0) {
      return -1;
    }
    return BigDecimal.valueOf(badAndTotal[0])
        .compareTo(threshold.multiply(BigDecimal.valueOf(badAndTotal[1])));
  }

  private static double ratio(History h, int t, int w) {
    long[] bt = increases(h, t, w);
    return (double) bt[0] / bt[1];
  }

  private static Map<String, Object> check(String series, int minute, double expected) {
    String expr = "abs(" + series + "{slo=\"availability\"} - " + expected + ") < bool 1e-9";
    return Map.of(
        "eval_time",
        minute + "m",
        "expr",
        expr,
        "exp_samples",
        List.of(Map.of("labels", "{service=\"catalog\",slo=\"availability\"}", "value", 1)));
  }

  private static Slo availability() {
    Path spec = Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");
    return new SpecReader()
        .read(List.of(spec)).slos().stream()
            .filter(s -> s.name().equals("availability"))
            .findFirst()
            .orElseThrow();
  }

  private static void run(Map<String, Object> test) throws Exception {
    List<Slo> availability = List.of(availability());
    Path dir = Files.createTempDirectory("vigil-property-");
    try {
      PrometheusTool.Result result = PromtoolRuleTest.run(dir, availability, test);
      assertThat(result.exitCode())
          .as("promtool test rules (recorded vs brute force):%n%s", result.output())
          .isZero();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }
}
