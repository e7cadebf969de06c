package dev.vigil.slo.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.LocalPrometheus;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.TsdbBlockWriter;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.report.BudgetReport;
import dev.vigil.slo.spec.SpecReader;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The symptom of a month of production history, on a real Prometheus: 30 days of {@code
 * http_requests_total} at one sample a minute for {@value #SERIES} series (5 endpoints x 2 statuses
 * x 2 replicas; day/night volume, 0.05% errors, a 30-minute incident at 40% errors on day 10,
 * replica b restarting on day 20 so its counters reset), imported with promtool, the catalog's
 * availability rules loaded after it, then {@code vigil slo backfill}.
 *
 * <p>Truth: the bad and total events counted here from the written counters (brute force: the sum
 * of the increases between consecutive samples, a drop being a reset from 0). Cost: Prometheus' own
 * {@code stats=all}: no rule of the SLO's group touches more than the period's recorded minutes of
 * its two event series plus the base minute of the raw series, whereas the SLI's query over the raw
 * series for the same 30 days touches every raw sample.
 */
class MonthOfHistoryTest {

  static final int SERIES = 20;
  private static final int MINUTES = 30 * 24 * 60;
  private static final Path CATALOG =
      Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");

  @TempDir static Path work;
  private static LocalPrometheus prometheus;
  private static Instant end;
  private static long trueBad;
  private static long trueTotal;
  private static Backfill.Result backfilled;
  private static Slo availability;

  @BeforeAll
  static void monthOfHistoryThenBackfill() throws Exception {
    end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    Path om = work.resolve("month.om");
    writeHistory(om);
    Path data = work.resolve("data");
    LocalPrometheus.importOpenMetrics(om, data);
    Files.delete(om);
    prometheus = LocalPrometheus.start(data, List.of(), work.resolve("prometheus.log"));
    availability =
        new SpecReader()
            .read(List.of(CATALOG)).slos().stream()
                .filter(s -> s.name().equals("availability"))
                .findFirst()
                .orElseThrow();
    // TSDB blocks into the data directory, as ./vigil slo backfill does for the local stack
    // (LivePrometheusTest covers remote write)
    backfilled =
        new Backfill(prometheus.client(), new TsdbBlockWriter(data)).run(availability, null, end);
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void backfillWritesEveryMinuteOfTheMonthThroughPrometheusOwnEvaluation() {
    // minute 0 has no count: a rate needs the sample before it
    assertThat(backfilled.samples())
        .containsExactly(
            Map.entry(SloSeries.BAD_EVENTS, (long) MINUTES),
            Map.entry(SloSeries.TOTAL_EVENTS, (long) MINUTES));
    assertThat(backfilled.from()).isEqualTo(end.minus(MINUTES - 1, ChronoUnit.MINUTES));
    assertThat(backfilled.to()).isEqualTo(end);
  }

  @Test
  void recordedBudgetEqualsTheTrueRatioOfTheMonth() throws Exception {
    double truth = (double) trueBad / trueTotal;
    double recorded =
        prometheus
            .client()
            .value(SloSeries.ratioOver(availability, availability.period().ruleWindow()), end)
            .orElseThrow();
    assertThat(recorded).isCloseTo(truth, Percentage.withPercentage(1e-4));

    BudgetReport.Row row =
        new BudgetReport(prometheus.client()).rows(List.of(availability), end).get(0);
    assertThat(row.totalEvents()).isCloseTo(trueTotal, Percentage.withPercentage(1e-6));
    assertThat(row.badEvents()).isCloseTo(trueBad, Percentage.withPercentage(1e-6));
    assertThat(row.coverage()).isEqualTo(Duration.ofDays(30));
    assertThat(row.remainingPercent())
        .isCloseTo(
            100 - truth / availability.errorBudget().doubleValue() * 100,
            Percentage.withPercentage(1e-4));
  }

  @Test
  void noRuleTouchesMoreThanThePeriodsRecordedMinutesWhateverTheSeries() throws Exception {
    PrometheusClient client = prometheus.client();
    long limit = 2L * MINUTES + 4L * SERIES;
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules =
        (List<Map<String, Object>>)
            new RuleFileGenerator().groups(List.of(availability)).get(0).get("rules");
    long most = 0;
    for (Map<String, Object> rule : rules) {
      String expr = ((String) rule.get("expr")).strip();
      long samples = client.cost(expr, end).samples();
      assertThat(samples)
          .as("samples touched by %s", rule.getOrDefault("record", rule.get("alert")))
          .isLessThanOrEqualTo(limit);
      most = Math.max(most, samples);
    }
    assertThat(most).as("the period ratio sums its two recorded series").isEqualTo(2L * MINUTES);
    // the symptom this replaces: the SLI over the raw series of the whole period reads every sample
    long raw =
        client.cost(availability.sli().errorRatioQuery(PromDuration.parse("30d")), end).samples();
    assertThat(raw).isGreaterThan((long) SERIES * MINUTES);
  }

  /**
   * Writes the month as OpenMetrics and counts the true bad and total events: minute m's increase
   * per series, replica b's counters restarting from 0 on day 20.
   */
  private static void writeHistory(Path om) throws Exception {
    long start = end.getEpochSecond() - MINUTES * 60L;
    int restart = 20 * 24 * 60;
    int incidentFrom = 10 * 24 * 60 + 600;
    try (BufferedWriter out = Files.newBufferedWriter(om)) {
      out.write("# TYPE http_requests counter\n");
      for (int endpoint = 0; endpoint < 5; endpoint++) {
        for (String status : List.of("200", "500")) {
          for (String replica : List.of("a", "b")) {
            long value = 0;
            StringBuilder line = new StringBuilder();
            String labels =
                "http_requests_total{service=\"catalog\",endpoint=\"/e"
                    + endpoint
                    + "\",status=\""
                    + status
                    + "\",instance=\""
                    + replica
                    + "\"} ";
            for (int m = 0; m <= MINUTES; m++) {
              if (m > 0) {
                long volume =
                    Math.round(
                        (20 + endpoint * 7) * (1.2 + Math.sin(2 * Math.PI * (m % 1440) / 1440.0)));
                long bad =
                    m >= incidentFrom && m < incidentFrom + 30
                        ? volume * 2 / 5
                        : (m % 2000 == endpoint ? 1 : 0);
                long inc = status.equals("500") ? bad : volume - bad;
                value = replica.equals("b") && m == restart ? inc : value + inc;
                if (status.equals("500")) {
                  trueBad += inc;
                }
                trueTotal += inc;
              }
              line.setLength(0);
              line.append(labels).append(value).append(' ').append(start + m * 60L).append('\n');
              out.write(line.toString());
            }
          }
        }
      }
      out.write("# EOF\n");
    }
  }
}
