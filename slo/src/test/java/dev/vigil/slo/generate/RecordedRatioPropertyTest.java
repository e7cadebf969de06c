package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random per-minute event histories (volume swinging between day and night, outages, an absent bad
 * series) through the catalog availability rules, evaluated by promtool; the recorded 5m, 1h and
 * period ratios must equal bad / total increases counted from the raw counters in this test.
 */
class RecordedRatioPropertyTest {

  private static final int MINUTES = 90;

  @Property(tries = 12)
  void recordedRatiosEqualBruteForceFromRawCounters(
      @ForAll @Size(MINUTES) List<@IntRange(min = 1, max = 2000) Integer> volume,
      @ForAll @Size(MINUTES) List<@IntRange(min = 0, max = 100) Integer> badPercent,
      @ForAll boolean noFailuresAtAll)
      throws Exception {
    long[] total = new long[MINUTES + 1];
    long[] bad = new long[MINUTES + 1];
    for (int m = 1; m <= MINUTES; m++) {
      long v = volume.get(m - 1);
      long b = noFailuresAtAll ? 0 : v * badPercent.get(m - 1) / 100;
      total[m] = total[m - 1] + v;
      bad[m] = bad[m - 1] + b;
    }
    StringBuilder good = new StringBuilder();
    StringBuilder failed = new StringBuilder();
    for (int m = 0; m <= MINUTES; m++) {
      good.append(total[m] - bad[m]).append(' ');
      failed.append(bad[m]).append(' ');
    }
    List<Object> series = new ArrayList<>();
    series.add(
        Map.of(
            "series",
            "http_requests_total{service=\"catalog\",status=\"200\"}",
            "values",
            good.toString().strip()));
    if (!noFailuresAtAll) {
      series.add(
          Map.of(
              "series",
              "http_requests_total{service=\"catalog\",status=\"500\"}",
              "values",
              failed.toString().strip()));
    }
    List<Object> checks = new ArrayList<>();
    for (int t : new int[] {60, 75, MINUTES}) {
      for (int w : new int[] {5, 60}) {
        checks.add(
            check(SloSeries.errorRatio(PromDuration.parse(w + "m")), t, ratio(bad, total, t, w)));
      }
      checks.add(check(SloSeries.PERIOD_ERROR_RATIO, t, ratio(bad, total, t, t)));
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put("input_series", series);
    test.put("promql_expr_test", checks);
    run(test);
  }

  /** Brute force: bad / total increases over the last w minutes at minute t. */
  private static double ratio(long[] bad, long[] total, int t, int w) {
    int from = Math.max(0, t - w);
    return (double) (bad[t] - bad[from]) / (total[t] - total[from]);
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

  private static void run(Map<String, Object> test) throws Exception {
    Path spec = Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");
    List<Slo> availability =
        new SpecReader()
            .read(List.of(spec)).slos().stream()
                .filter(s -> s.name().equals("availability"))
                .toList();
    Path dir = Files.createTempDirectory("vigil-property-");
    try {
      YAMLMapper yaml = new YAMLMapper();
      Path rules =
          Files.writeString(
              dir.resolve("rules.yml"),
              yaml.writeValueAsString(
                  Map.of("groups", new RuleFileGenerator().groups(availability))));
      Path file =
          Files.writeString(
              dir.resolve("test.yml"),
              yaml.writeValueAsString(
                  Map.of(
                      "rule_files",
                      List.of(rules.toString()),
                      "evaluation_interval",
                      "1m",
                      "tests",
                      List.of(test))));
      PrometheusTool.Result result =
          PrometheusTool.PROMTOOL.run(dir, "test", "rules", file.toString());
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
