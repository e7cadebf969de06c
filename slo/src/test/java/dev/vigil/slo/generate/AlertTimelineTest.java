package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the generated tests prove, stated as detection times of the catalog's availability SLO
 * (99.9% over 30d, workbook tiers). promtool then checks Prometheus agrees
 * (GeneratedArtefactsTest).
 */
class AlertTimelineTest {

  private static final Slo AVAILABILITY = catalog().get(0);

  @Test
  void fullOutagePagesOneMinuteAfterItStarts() {
    AlertTimeline t = timeline("full outage");
    // 2% of the 30d budget is 51.84 s of full outage: the 1h window crosses 14.4x at the first
    // evaluation after the outage begins (1m), and the default tiers have no `for` (as Sloth's).
    int onset = t.scenario().onset();
    assertThat(onset).as("6h of clean history fill every page window").isEqualTo(360);
    assertThat(t.firstFiring(SloSeries.ALERT_PAGE, onset) - onset).isEqualTo(1);
  }

  @Test
  void tenTimesBurnPagesWhenFivePercentOfTheBudgetIsGone() {
    AlertTimeline t = timeline("10x burn");
    // 5% of 30d at 10x takes 0.05 x 30d / 10 = 3.6h = 216 min, crossed at the 217th.
    assertThat(t.firstFiring(SloSeries.ALERT_PAGE, 360) - 360).isEqualTo(217);
    assertThat(t.firingAt(t.firstFiring(SloSeries.ALERT_PAGE, 360)))
        .anySatisfy(f -> assertThat(f.tier().longWindow().toString()).isEqualTo("6h"));
  }

  @Test
  void slowBurnTicketsWithoutEverPaging() {
    AlertTimeline t = timeline("slow burn");
    assertThat(t.firstFiring(SloSeries.ALERT_PAGE, 0)).isEqualTo(-1);
    assertThat(t.firstFiring(SloSeries.ALERT_TICKET, 0)).isPositive();
  }

  @Test
  void shortBlipNeverPages() {
    assertThat(timeline("short blip").firstFiring(SloSeries.ALERT_PAGE, 0)).isEqualTo(-1);
  }

  @Test
  void recoveryResolvesThePageOnceTheShortWindowsAreClean() {
    AlertTimeline t = timeline("recovery");
    int paged = t.firstFiring(SloSeries.ALERT_PAGE, 0);
    assertThat(paged).isEqualTo(361);
    // The outage lasts until the page plus 5 minutes: minute 366. The 1h tier resolves when its 5m
    // window is clean (371); the 6h tier (6 bad minutes in 6h is still above 6x) when its 30m
    // window is
    // clean: minute 396.
    assertThat(t.firingAt(371))
        .filteredOn(f -> f.alertName().equals(SloSeries.ALERT_PAGE))
        .extracting(f -> f.tier().longWindow().toString())
        .containsExactly("6h");
    assertThat(t.firstQuiet(SloSeries.ALERT_PAGE, paged)).isEqualTo(396);
  }

  @Test
  void fullLatencyOutagePagesWhenTwoPercentOfTheNinetyFivePercentBudgetIsGone() {
    Slo latency = catalog().get(1);
    Scenario s =
        Scenario.standard(latency).stream()
            .filter(x -> x.name().startsWith("full outage"))
            .findFirst()
            .orElseThrow();
    AlertTimeline t = new AlertTimeline(latency, s);
    // A 95% SLO's burn rate cannot exceed 20x: 2% of its 30d budget is 43.2 minutes of every
    // request
    // being slow (crossed at minute 44).
    assertThat(t.firstFiring(SloSeries.ALERT_PAGE, s.onset()) - s.onset()).isEqualTo(44);
  }

  @Test
  void healthyTrafficRaisesNothing() {
    AlertTimeline t = timeline("healthy");
    for (int m = 0; m <= t.scenario().minutes(); m++) {
      assertThat(t.firingAt(m)).as("minute %d", m).isEmpty();
    }
  }

  private static AlertTimeline timeline(String prefix) {
    Scenario s =
        Scenario.standard(AVAILABILITY).stream()
            .filter(x -> x.name().startsWith(prefix))
            .findFirst()
            .orElseThrow();
    return new AlertTimeline(AVAILABILITY, s);
  }

  static List<Slo> catalog() {
    Path spec = Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");
    SpecReader.Result read = new SpecReader().read(List.of(spec));
    assertThat(read.problems()).isEmpty();
    return read.slos();
  }
}
