package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SLO recordings' windows and names as the deployed rules use them. The range of a window is
 * checked by arithmetic (read back by the duration parser, it is the window less 1 ms, written the
 * way Prometheus writes durations); the names and expressions against the rule file committed under
 * {@code deploy/} for {@code slos/catalog.yaml}, which promtool and a real Prometheus evaluate in
 * {@code PrometheusRulesTest} and {@code RecordedSliTruthTest}.
 */
class RecordedSeriesTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));

  /** d, h, m, s, ms, each unit below the size of the next larger one, no unit of 0. */
  private static final Pattern PROMETHEUS_FORM =
      Pattern.compile(
          "(?:([1-9]\\d*)d)?(?:([1-9]|1\\d|2[0-3])h)?(?:([1-9]|[1-5]\\d)m)?"
              + "(?:([1-9]|[1-5]\\d)s)?(?:([1-9]\\d{0,2})ms)?");

  @Test
  void eachRangeHoldsTheWindowLessOneMillisecondWrittenAsPrometheusWritesDurations() {
    List<PromDuration> windows =
        Stream.concat(
                RecordedWindows.ALL.stream(),
                Stream.of("30d", "28d", "1m", "90s", "1h1ms", "1d1h1s1ms", "2ms")
                    .map(PromDuration::parse))
            .toList();
    for (PromDuration window : windows) {
      String range = RecordedWindows.range(window);

      assertThat(PromDuration.parse(range).millis())
          .as("range of %s: %s", window, range)
          .isEqualTo(window.millis() - 1);
      assertThat(range).as("range of %s", window).matches(PROMETHEUS_FORM);
    }
    assertThat(RecordedWindows.range(PromDuration.parse("5m"))).isEqualTo("4m59s999ms");
  }

  @Test
  void onlyTheListedWindowsAreRecordedWhateverTheirSpelling() {
    assertThat(RecordedWindows.ALL)
        .allSatisfy(w -> assertThat(RecordedWindows.contains(w)).as("%s", w).isTrue());
    assertThat(RecordedWindows.contains(PromDuration.parse("60m"))).as("60m is 1h").isTrue();
    assertThat(RecordedWindows.contains(PromDuration.parse("7m"))).isFalse();
    assertThat(RecordedWindows.contains(PromDuration.parse("30d")))
        .as("the period is recorded apart")
        .isFalse();
  }

  @Test
  void everyWindowsNamesAndExpressionsAreTheOnesTheDeployedRulesRecord() throws Exception {
    List<Slo> slos = new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos();
    String rules = Files.readString(ROOT.resolve("deploy/prometheus/rules/generated/catalog.yml"));
    assertThat(slos).isNotEmpty();

    for (Slo slo : slos) {
      assertThat(rules)
          .as("labels of %s", slo.name())
          .contains("service: " + slo.service() + "\n")
          .contains("slo: " + slo.name() + "\n");
      for (PromDuration window : RecordedWindows.ALL) {
        String errorRatio = SloSeries.errorRatio(window);
        String totalRate = SloSeries.totalRate(window);
        assertThat(recorded(rules, errorRatio, slo))
            .as("%s of %s", errorRatio, slo.name())
            .isEqualTo(SloSeries.ratioOver(slo, window));
        assertThat(recorded(rules, totalRate, slo))
            .as("%s of %s", totalRate, slo.name())
            .isEqualTo(
                SloSeries.sumOver(SloSeries.TOTAL_EVENTS, slo, window)
                    + " / "
                    + window.millis() / 1000);
      }
    }
  }

  @Test
  void theSumOfAWindowReadsOnlyTheSlosOwnMinuteCounts() {
    Slo slo =
        new SpecReader()
            .read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos().stream()
                .findFirst()
                .orElseThrow();

    String sum = SloSeries.sumOver(SloSeries.BAD_EVENTS, slo, PromDuration.parse("1h"));

    assertThat(SloSeries.BAD_EVENTS).isEqualTo("slo:sli_bad:increase1m");
    assertThat(SloSeries.TOTAL_EVENTS).isEqualTo("slo:sli_total:increase1m");
    assertThat(sum)
        .isEqualTo(
            "sum_over_time(slo:sli_bad:increase1m{service=\""
                + slo.service()
                + "\",slo=\""
                + slo.name()
                + "\"}[59m59s999ms])");
  }

  /**
   * The expression of the rule recording {@code record} for one SLO in a generated rule file, its
   * lines joined by newlines and stripped of the YAML indentation.
   */
  private static String recorded(String rules, String record, Slo slo) {
    Matcher rule =
        Pattern.compile(
                "- record: "
                    + Pattern.quote(record)
                    + "\n\\s+expr: \\|\n((?:\\s{10}.*\n)+)\\s+labels:\n\\s+service: "
                    + Pattern.quote(slo.service())
                    + "\n\\s+slo: "
                    + Pattern.quote(slo.name())
                    + "\n")
            .matcher(rules);
    assertThat(rule.find()).as("a rule recording %s for %s", record, slo.name()).isTrue();
    return rule.group(1).lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElseThrow();
  }
}
