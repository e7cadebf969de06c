package dev.vigil.slo.generate;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check (off unless {@code -Dvigil.measure=true}): the largest disagreement
 * between the recorded error ratios (5m, 30m, 1h and period, at minutes 60, 75 and 90) that
 * promtool evaluates on the catalog availability rules and a brute-force count from the raw
 * counters, over a fixed set of 24 seeded two-replica histories of the shape {@link
 * RecordedRatioPropertyTest} draws (day/night swings, an incident, a replica restart, no bad or no
 * good series), without scrape gaps. Written against APIs that existed before the issue-11 fixes,
 * so the same file runs on an older commit (see docs/slo-spec.md, "Proof against independent
 * truth"). Prints one line per disagreement and the largest one.
 */
class BeforeFixesMeasurement {

  private static final int MINUTES = 90;
  private static final int HISTORIES = 24;
  private static final Pattern FAILED =
      Pattern.compile(
          "expr: \"(.*)\", time: ([0-9hms]+),\\s*\\n\\s*exp: .*\\n\\s*got: (nil|\\{[^}]*} (\\S+))");

  @TempDir Path work;

  @Test
  @EnabledIfSystemProperty(named = "vigil.measure", matches = "true")
  void largestDisagreementOfRecordedRatiosWithBruteForce() throws Exception {
    Path spec = Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");
    List<Slo> availability =
        new SpecReader()
            .read(List.of(spec)).slos().stream()
                .filter(s -> s.name().equals("availability"))
                .toList();
    YAMLMapper yaml = new YAMLMapper();
    Path rules =
        Files.writeString(
            work.resolve("rules.yml"),
            yaml.writeValueAsString(
                Map.of("groups", new RuleFileGenerator().groups(availability))));
    Random random = new Random(11);
    double worst = 0;
    String worstAt = "none";
    int missing = 0;
    for (int h = 0; h < HISTORIES; h++) {
      long[][][] counters = history(random, h % 8 == 6 ? 1 : h % 8 == 7 ? 2 : 0);
      List<Object> series = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        for (int bad = 0; bad < 2; bad++) {
          if (counters[bad][r] == null) {
            continue;
          }
          StringBuilder v = new StringBuilder();
          for (long x : counters[bad][r]) {
            v.append(x).append(' ');
          }
          series.add(
              Map.of(
                  "series",
                  "http_requests_total{service=\"catalog\",status=\""
                      + (bad == 1 ? "500" : "200")
                      + "\",instance=\""
                      + (r == 0 ? "a" : "b")
                      + "\"}",
                  "values",
                  v.toString().strip()));
        }
      }
      Map<String, Double> truth = new HashMap<>();
      List<Object> checks = new ArrayList<>();
      for (int t : new int[] {60, 75, MINUTES}) {
        for (int w : new int[] {5, 30, 60, t}) {
          String name =
              w == t
                  ? SloSeries.PERIOD_ERROR_RATIO
                  : SloSeries.errorRatio(PromDuration.parse(w + "m"));
          String expr = name + "{slo=\"availability\"}";
          double expected = ratio(counters, t, w);
          truth.put(expr + "@" + t, expected);
          checks.add(
              Map.of(
                  "eval_time",
                  t + "m",
                  "expr",
                  expr,
                  "exp_samples",
                  List.of(
                      Map.of(
                          "labels",
                          name + "{service=\"catalog\",slo=\"availability\",team=\"catalog\"}",
                          "value",
                          expected))));
        }
      }
      Map<String, Object> test = new LinkedHashMap<>();
      test.put("interval", "1m");
      test.put("input_series", series);
      test.put("promql_expr_test", checks);
      Path file =
          Files.writeString(
              work.resolve("test" + h + ".yml"),
              yaml.writeValueAsString(
                  Map.of(
                      "rule_files",
                      List.of(rules.toString()),
                      "evaluation_interval",
                      "1m",
                      "tests",
                      List.of(test))));
      String out = PrometheusTool.PROMTOOL.run(work, "test", "rules", file.toString()).output();
      if (h == 0) {
        System.out.println(out.lines().limit(12).reduce("", (a, b) -> a + b + "\n"));
      }
      Matcher m = FAILED.matcher(out.replace("\\\"", "\""));
      while (m.find()) {
        String key = m.group(1) + "@" + PromDuration.parse(m.group(2)).minutes();
        Double expected = truth.get(key);
        if (expected == null) {
          continue;
        }
        if (m.group(3).equals("nil")) {
          missing++;
          System.out.printf("history %d %s: no value, truth %.6f%n", h, key, expected);
          continue;
        }
        double got = Double.parseDouble(m.group(4));
        double diff = Math.abs(got - expected) / Math.max(expected, 1e-12);
        if (Math.abs(got - expected) > 1e-9) {
          System.out.printf(
              "history %d %s: got %.6f, truth %.6f (%.1f%% off)%n",
              h, key, got, expected, diff * 100);
          if (diff > worst) {
            worst = diff;
            worstAt = "history " + h + " " + key + ": got " + got + ", truth " + expected;
          }
        }
      }
    }
    System.out.printf(
        "largest disagreement over %d histories: %.1f%% (%s); %d checks without a value%n",
        HISTORIES, worst * 100, worstAt, missing);
  }

  /** counters[bad 0/1][replica][minute]; null when the series does not exist. */
  private static long[][][] history(Random random, int mode) {
    long[][][] c = new long[2][2][MINUTES + 1];
    int base = 100 + random.nextInt(1901);
    int night = 10 + random.nextInt(51);
    int nightEnd = night + 5 + random.nextInt(26);
    int from = 5 + random.nextInt(81);
    int to = from + 1 + random.nextInt(30);
    int percent = random.nextInt(101);
    int permille = random.nextInt(3);
    int restart = random.nextBoolean() ? -1 : 2 + random.nextInt(MINUTES - 2);
    for (int r = 0; r < 2; r++) {
      for (int t = 1; t <= MINUTES; t++) {
        long volume = base * (50 + random.nextInt(101)) / 100L;
        if (t >= night && t < nightEnd) {
          volume = Math.max(1, volume / 50);
        }
        long failed = t >= from && t < to ? volume * percent / 100 : volume * permille / 1000;
        if (mode == 1) {
          failed = 0;
        } else if (mode == 2) {
          failed = volume;
        }
        boolean reset = r == 1 && t == restart;
        c[1][r][t] = (reset ? 0 : c[1][r][t - 1]) + failed;
        c[0][r][t] = (reset ? 0 : c[0][r][t - 1]) + volume - failed;
      }
    }
    if (mode == 1) {
      c[1] = new long[][] {null, null};
    } else if (mode == 2) {
      c[0] = new long[][] {null, null};
    }
    return c;
  }

  private static double ratio(long[][][] c, int t, int w) {
    long bad = 0;
    long all = 0;
    for (int kind = 0; kind < 2; kind++) {
      for (long[] s : c[kind]) {
        if (s == null) {
          continue;
        }
        long sum = 0;
        for (int m = Math.max(0, t - w) + 1; m <= t; m++) {
          sum += s[m] >= s[m - 1] ? s[m] - s[m - 1] : s[m];
        }
        all += sum;
        bad += kind == 1 ? sum : 0;
      }
    }
    return (double) bad / all;
  }
}
