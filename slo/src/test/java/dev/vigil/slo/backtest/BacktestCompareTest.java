package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.LocalPrometheus;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --compare} is for: the same history replayed under today's objective and a lower
 * candidate. Three hours of 1,000 requests a minute with 2% of them failing in the second hour
 * (1,200 bad of 180,000 over the three hours: 0.67%). At 99.9% (budget 0.1%): 20x over 1h and 5m
 * (the page's 14.4x), 6.7x over 6h with 20x over 30m (the page's 6x), 6.7x over 1d with 10x over 2h
 * (the ticket's 3x), 6.7x over 3d and 6h (the ticket's 1x): two pages and two tickets. At 99%
 * (budget 1%): 2x at most over 1h, 0.67x over 6h, 1d and 3d: under every factor, nothing at all.
 */
class BacktestCompareTest {

  @TempDir Path work;

  private static Slo availability(String objective) throws Exception {
    Path spec = Files.createTempFile("slo", ".yaml");
    Files.writeString(
        spec,
        """
        apiVersion: vigil/v1
        service: catalog
        slos:
          - name: availability
            objective: %s
            period: 30d
            sli:
              events:
                bad: sum(rate(http_requests_total{service="catalog",status=~"5.."}[{{window}}]))
                total: sum(rate(http_requests_total{service="catalog"}[{{window}}]))
        """
            .formatted(objective));
    return new SpecReader().read(List.of(spec)).slos().get(0);
  }

  @Test
  void aLowerObjectivePagesLessForTheSameSlowBurn() throws Exception {
    int minutes = 180;
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    Instant start = end.minus(minutes, ChronoUnit.MINUTES);
    StringBuilder om = new StringBuilder("# TYPE http_requests counter\n");
    long good = 0;
    long bad = 0;
    for (int m = 0; m <= minutes; m++) {
      if (m > 0) {
        long failed = m > 60 && m <= 120 ? 20 : 0;
        bad += failed;
        good += 1000 - failed;
      }
      long t = start.getEpochSecond() + m * 60L;
      om.append("http_requests_total{service=\"catalog\",status=\"200\"} ")
          .append(good)
          .append(' ')
          .append(t)
          .append('\n')
          .append("http_requests_total{service=\"catalog\",status=\"500\"} ")
          .append(bad)
          .append(' ')
          .append(t)
          .append('\n');
    }
    om.append("# EOF\n");
    LocalPrometheus.importOpenMetrics(
        Files.writeString(work.resolve("history.om"), om.toString()), work.resolve("history"));

    Backtest.Result today;
    Backtest.Result candidate;
    try (LocalPrometheus source =
            LocalPrometheus.start(work.resolve("history"), List.of(), work.resolve("source.log"));
        LocalPrometheus replay =
            LocalPrometheus.start(work.resolve("replay"), List.of(), work.resolve("replay.log"))) {
      Backtest backtest = new Backtest(source.client(), replay.client(), replay.writer());
      today = backtest.run(availability("99.9"), start, end);
    }
    try (LocalPrometheus source =
            LocalPrometheus.start(work.resolve("history"), List.of(), work.resolve("source2.log"));
        LocalPrometheus replay =
            LocalPrometheus.start(
                work.resolve("replay2"), List.of(), work.resolve("replay2.log"))) {
      Backtest backtest = new Backtest(source.client(), replay.client(), replay.writer());
      candidate = backtest.run(availability("99"), start, end);
    }

    assertThat(today.notifications(true)).as("pages at 99.9%%").isEqualTo(2);
    assertThat(today.notifications(false)).as("tickets at 99.9%%").isEqualTo(2);
    assertThat(candidate.alerts())
        .as("at 99%% nothing crosses a factor")
        .allSatisfy(a -> assertThat(a.notifications()).isEmpty());
  }
}
