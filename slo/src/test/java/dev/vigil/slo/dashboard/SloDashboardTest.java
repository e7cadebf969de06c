package dev.vigil.slo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.ErrorBudgetPolicy;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the SLO dashboard follows the spec: thresholds from the alert tiers and the error budget
 * policy.
 */
class SloDashboardTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final Path SPECS = ROOT.resolve("slo/src/test/resources/specs");

  @Test
  void burnRateLinesAreTheCatalogsAlertFactors() {
    Dashboard dashboard =
        new SloDashboard().build("catalog", read(ROOT.resolve("slos/catalog.yaml")));
    // Google SRE Workbook, Alerting on SLOs: over 30 days, 2% in 1h -> 14.4 and 5% in 6h -> 6 page;
    // 10% in 3d -> 1 tickets.
    assertThat(panel(dashboard, "Burn rate", 0).fieldConfig().defaults().thresholds().steps())
        .containsExactly(
            Threshold.base("green"),
            Threshold.from("orange", new BigDecimal("1")),
            Threshold.from("orange", new BigDecimal("3")),
            Threshold.from("red", new BigDecimal("6")),
            Threshold.from("red", new BigDecimal("14.4")));
  }

  @Test
  void burnRateLinesFollowEachSpecsTiersWhateverItsPeriod() {
    for (String spec :
        List.of("openslo-checkout.yaml", "openslo-search-calendar.yaml", "sloth-myservice.yaml")) {
      for (Slo slo : read(SPECS.resolve(spec))) {
        Dashboard dashboard = new SloDashboard().build(slo.service(), List.of(slo));
        List<BigDecimal> lines =
            panel(dashboard, "Burn rate", 0).fieldConfig().defaults().thresholds().steps().stream()
                .skip(1)
                .map(Threshold::value)
                .toList();
        List<BigDecimal> factors =
            slo.alerting().enabledTiers().stream()
                .map(t -> t.factor(slo.period()))
                .distinct()
                .sorted()
                .toList();
        assertThat(lines).as("%s %s", spec, slo.name()).isEqualTo(factors);
      }
    }
  }

  @Test
  void budgetPanelsAreColouredByTheErrorBudgetPolicy() {
    Dashboard dashboard =
        new SloDashboard().build("catalog", read(ROOT.resolve("slos/catalog.yaml")));
    List<Threshold> policy =
        List.of(
            Threshold.base("red"),
            Threshold.from("orange", ErrorBudgetPolicy.EXHAUSTED_BELOW),
            Threshold.from("green", ErrorBudgetPolicy.HEALTHY_ABOVE));
    assertThat(
            panel(dashboard, "Error budget remaining", 0)
                .fieldConfig()
                .defaults()
                .thresholds()
                .steps())
        .isEqualTo(policy);
    assertThat(
            panel(dashboard, "Error budget remaining over time", 0)
                .fieldConfig()
                .defaults()
                .thresholds()
                .steps())
        .isEqualTo(policy);
  }

  @Test
  void eachSloGetsItsOwnRowReadingItsOwnSeries() {
    Dashboard dashboard =
        new SloDashboard().build("catalog", read(ROOT.resolve("slos/catalog.yaml")));
    assertThat(dashboard.panels().stream().filter(p -> p.type().equals("row")).map(Panel::title))
        .containsExactly(
            "availability: 99.9% over 30d",
            "latency: 95% over 30d", "uptime: 99.9% over 30d", "storefront-lcp: 75% over 30d");
    assertThat(panel(dashboard, "SLI over 30d", 1).targets().get(0).expr())
        .isEqualTo("1 - slo:sli_error:ratio_period{service=\"catalog\",slo=\"latency\"}");
    assertThat(panel(dashboard, "Alerts firing now", 1).targets().get(0).expr())
        .isEqualTo("ALERTS{alertstate=\"firing\",service=\"catalog\",slo=\"latency\"}");
  }

  @Test
  void aDisabledTierDrawsNoLine() {
    Slo slo = read(ROOT.resolve("slos/catalog.yaml")).get(0);
    List<AlertTier> pagesOnly =
        slo.alerting().tiers().stream().map(t -> t.withEnabled(t.pages())).toList();
    Slo withoutTicket =
        new Slo(
            slo.source(),
            slo.path(),
            slo.service(),
            slo.name(),
            slo.description(),
            slo.objectivePercent(),
            slo.period(),
            slo.sli(),
            new AlertPolicy(
                pagesOnly,
                slo.alerting().minEvents(),
                slo.alerting().absentFor(),
                slo.alerting().exhaustedFor()),
            slo.labels());
    Dashboard dashboard = new SloDashboard().build("catalog", List.of(withoutTicket));
    assertThat(panel(dashboard, "Burn rate", 0).fieldConfig().defaults().thresholds().steps())
        .extracting(Threshold::color)
        .containsExactly("green", "red", "red");
  }

  @Test
  void generatorWritesFourDashboardsPerService() {
    List<Slo> slos = new ArrayList<>(read(ROOT.resolve("slos/catalog.yaml")));
    slos.addAll(read(SPECS.resolve("sloth-myservice.yaml")));
    Map<String, String> files = new DashboardGenerator().files(slos);
    assertThat(files.keySet())
        .containsExactly(
            "grafana/dashboards/catalog-slo.json",
            "grafana/dashboards/catalog-golden-signals.json",
            "grafana/dashboards/catalog-dependencies.json",
            "grafana/dashboards/catalog-saturation.json",
            "grafana/dashboards/myservice-slo.json",
            "grafana/dashboards/myservice-golden-signals.json",
            "grafana/dashboards/myservice-dependencies.json",
            "grafana/dashboards/myservice-saturation.json");
    assertThat(files.get("grafana/dashboards/myservice-golden-signals.json"))
        .contains("\"uid\": \"vigil-myservice-golden-signals\"");
  }

  @Test
  void aLongServiceNameStillGetsDistinctUidsWithinGrafanasLimit() {
    String slo = SloDashboard.uid("payments-reconciliation-worker");
    String golden = GoldenSignalsDashboard.uid("payments-reconciliation-worker");
    String other = GoldenSignalsDashboard.uid("payments-reconciliation-workers");
    assertThat(List.of(slo, golden, other))
        .allSatisfy(uid -> assertThat(uid).hasSizeLessThanOrEqualTo(40))
        .doesNotHaveDuplicates();
    assertThat(golden).startsWith("vigil-payments-reconciliation-w").matches(".*-[0-9a-f]{8}");
    assertThat(GoldenSignalsDashboard.uid("catalog")).isEqualTo("vigil-catalog-golden-signals");
  }

  private static Panel panel(Dashboard dashboard, String title, int occurrence) {
    return dashboard.panels().stream()
        .filter(p -> p.title().equals(title))
        .skip(occurrence)
        .findFirst()
        .orElseThrow();
  }

  private static List<Slo> read(Path spec) {
    SpecReader.Result result = new SpecReader().read(List.of(spec));
    assertThat(result.problems()).isEmpty();
    return result.slos();
  }
}
