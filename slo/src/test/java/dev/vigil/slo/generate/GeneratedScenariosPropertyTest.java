package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.Period;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scenarios the SLO compiler generates for any objective pass promtool: random objectives from
 * 50% to 99.99% (two decimals), each SLO with an SLI of a random kind (bad/total and good/total
 * counters, a latency histogram, a probe budgeted as Timeslices or RatioTimeslices), written as a
 * vigil/v1 spec as a user would (tiers that could never fire switched off, as validate demands),
 * compiled, and every generated test file run by {@code promtool test rules}. promtool is the truth
 * here: the generator states alert states and annotation texts from exact arithmetic, Prometheus
 * computes them in float64.
 *
 * <p>Once an SLO whose budget exceeded 10% (e.g. Google's 75% of "good" LCP page loads) failed its
 * own generated "10x burn" scenario: its remaining budget reached exactly 0 at a checkpoint, the
 * generator expected {@code 0.0%} and Prometheus printed {@code -0.0%}.
 */
class GeneratedScenariosPropertyTest {

  /**
   * SLOs generated per run (jqwik tries), one spec file and one promtool process each: every
   * scenario of a test file evaluates every rule of the file each minute, so SLOs in separate files
   * cost linearly, in one file quadratically.
   */
  static final int TRIES = 12;

  /** The SLI kinds drawn. */
  enum Kind {
    BAD_TOTAL,
    GOOD_TOTAL,
    LATENCY,
    PROBE_TIMESLICES,
    PROBE_RATIO_TIMESLICES
  }

  record Objective(BigDecimal percent, Kind kind) {}

  @Provide
  Arbitrary<List<Objective>> objectives() {
    Arbitrary<BigDecimal> percent =
        Arbitraries.bigDecimals().between(new BigDecimal("50"), new BigDecimal("99.99")).ofScale(2);
    Arbitrary<Kind> kind = Arbitraries.of(Kind.class);
    return percent.flatMap(p -> kind.map(k -> new Objective(p, k))).list().ofSize(1);
  }

  @Property(tries = TRIES)
  void everyGeneratedScenarioPassesPromtool(@ForAll("objectives") List<Objective> objectives)
      throws Exception {
    passPromtool(objectives);
  }

  @Example
  void aBudgetAboveTenPercentNoLongerFailsItsOwnTenTimesBurnScenario() throws Exception {
    // 75%: Google's "good" LCP share; at 8h of the 10x burn scenario the remaining budget is
    // exactly
    // 0 and Prometheus printed -0.0% where the generated test expected 0.0%
    passPromtool(List.of(new Objective(new BigDecimal("75"), Kind.LATENCY)));
  }

  private static void passPromtool(List<Objective> objectives) throws Exception {
    Path dir = Files.createTempDirectory("vigil-scenarios-");
    try {
      Path spec = Files.writeString(dir.resolve("drawn.yaml"), spec(objectives));
      SpecReader.Result read = new SpecReader().read(List.of(spec));
      assertThat(read.problems())
          .as("reading the drawn spec:%n%s", Files.readString(spec))
          .isEmpty();
      assertThat(new SloValidator().validate(read.slos())).isEmpty();
      SloCompiler.Output out = new SloCompiler().compile(read.slos());
      assertThat(out.notes()).as("every drawn SLO has generated scenarios").isEmpty();
      for (Map.Entry<String, String> e : out.files().entrySet()) {
        Path file = dir.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
      }
      PrometheusTool.Result result =
          PrometheusTool.PROMTOOL.run(dir, "test", "rules", "prometheus/tests/generated/drawn.yml");
      assertThat(result.exitCode())
          .as(
              "promtool test rules of the scenarios generated for %s:%n%s",
              objectives, result.output())
          .isZero();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** A vigil/v1 spec with one SLO per objective, each on its own series. */
  static String spec(List<Objective> objectives) throws IOException {
    StringBuilder out = new StringBuilder("apiVersion: vigil/v1\nservice: drawn\nslos:\n");
    for (int i = 0; i < objectives.size(); i++) {
      Objective o = objectives.get(i);
      String id = "o" + i;
      out.append("  - name: ").append(id).append('\n');
      out.append("    objective: ").append(o.percent().toPlainString()).append('\n');
      out.append("    period: 30d\n");
      out.append("    sli:\n");
      switch (o.kind()) {
        case BAD_TOTAL ->
            out.append("      events:\n")
                .append(
                    "        bad: sum(rate(requests_total{slo=\""
                        + id
                        + "\",code=~\"5..\"}[{{window}}]))\n")
                .append(
                    "        total: sum(rate(requests_total{slo=\"" + id + "\"}[{{window}}]))\n");
        case GOOD_TOTAL ->
            out.append("      events:\n")
                .append(
                    "        good: sum(rate(requests_total{slo=\""
                        + id
                        + "\",code=\"200\"}[{{window}}]))\n")
                .append(
                    "        total: sum(rate(requests_total{slo=\"" + id + "\"}[{{window}}]))\n");
        case LATENCY ->
            out.append("      latency:\n")
                .append("        metric: request_seconds\n")
                .append("        selector: {slo: " + id + "}\n")
                .append("        threshold: 0.5\n");
        case PROBE_TIMESLICES, PROBE_RATIO_TIMESLICES ->
            out.append("      timeslices:\n")
                .append(
                    "        good: avg_over_time(probe_success{slo=\"" + id + "\"}[{{window}}])\n")
                .append("        window: 1m\n")
                .append(
                    o.kind() == Kind.PROBE_TIMESLICES
                        ? "        target: 0.75\n"
                        : "        method: RatioTimeslices\n");
      }
      List<AlertTier> off = unreachable(o.percent());
      if (!off.isEmpty()) {
        out.append("    alerting:\n      tiers:\n");
        for (AlertTier t : off) {
          out.append("        - name: ").append(t.name()).append("\n          enabled: false\n");
        }
      }
    }
    return out.toString();
  }

  /**
   * The workbook tiers that need more than 100% errors at this objective (validate refuses them).
   */
  private static List<AlertTier> unreachable(BigDecimal percent) {
    BigDecimal budget = BudgetMath.errorBudget(percent);
    Period period = Period.rolling(PromDuration.parse("30d"));
    return AlertPolicy.WORKBOOK_TIERS.stream()
        .filter(t -> t.factor(period).multiply(budget).compareTo(BigDecimal.ONE) >= 0)
        .toList();
  }
}
