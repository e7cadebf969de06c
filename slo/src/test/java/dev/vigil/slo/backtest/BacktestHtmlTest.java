package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.Slo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backtest's chart on burn-rate series written out here: a minute whose window recorded no
 * event (no value, or NaN from 0/0) is a gap in the line, never a NaN coordinate that makes the
 * browser drop the whole chart, and consecutive minutes join however far apart their columns are.
 */
class BacktestHtmlTest {

  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void aMinuteWithoutEventsBreaksTheLineAndNoCoordinateIsNaN() throws Exception {
    Slo slo = CatalogSlos.availability();
    AlertTier page = slo.alerting().enabledTiers().get(0);
    // 20 minutes: values at 0..5, none at 6, NaN (0/0) at 7, values at 8..19
    List<double[]> burn = new ArrayList<>();
    for (int m = 0; m < 20; m++) {
      if (m == 6) {
        continue;
      }
      burn.add(new double[] {T0.getEpochSecond() + m * 60, m == 7 ? Double.NaN : m * 10.0});
    }
    Backtest.Result result =
        new Backtest.Result(
            slo,
            T0,
            T0.plusSeconds(19 * 60),
            1,
            99,
            40,
            List.of(),
            Map.of(page.longWindow(), burn, page.shortWindow(), List.of()));

    String svg =
        BacktestHtml.chart(
            result, page, page.factor(slo.period()).doubleValue(), List.of(), List.of());

    assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
    assertThat(svg.split("<polyline", -1).length - 1)
        .as("two runs of the long window's line: minutes 0-5 and 8-19")
        .isEqualTo(2);
  }
}
