package dev.vigil.slo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lints the committed dashboards (deploy/grafana/dashboards) the way Grafana and Prometheus would
 * judge them, without a Grafana server (none is installed here): sound layout, provisioned data
 * sources, PromQL that promtool parses, and recorded series that the rule files really record. The
 * last test breaks a dashboard on purpose to show each check speaks up.
 */
class DashboardLintTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final Path DATASOURCES =
      DEPLOY.resolve("grafana/provisioning/datasources/datasources.yaml");

  private static Map<String, JsonNode> committed;

  @BeforeAll
  static void readCommittedDashboards() throws Exception {
    committed = DashboardLint.read(DEPLOY.resolve(DashboardGenerator.DIRECTORY));
    assertThat(committed)
        .as(
            "deploy/grafana/dashboards holds no dashboard: run ./vigil slo generate slos/catalog.yaml")
        .containsKeys("catalog-slo.json", "catalog-golden-signals.json");
  }

  @Test
  void panelIdsAreUniqueAndPanelsDoNotOverlap() {
    assertThat(DashboardLint.layout(committed)).isEmpty();
  }

  @Test
  void everyDatasourceUidIsProvisioned() throws Exception {
    assertThat(DashboardLint.datasources(committed, DATASOURCES)).isEmpty();
  }

  @Test
  void promtoolParsesEveryPanelQuery(@TempDir Path work) throws Exception {
    assertThat(DashboardLint.promql(committed, work)).isEmpty();
  }

  @Test
  void everyRecordedSeriesTheDashboardsReadIsRecordedByTheRuleFiles() throws Exception {
    List<Path> rules =
        DashboardLint.ruleFiles(
            DEPLOY.resolve("prometheus/rules"), DEPLOY.resolve("prometheus/rules/generated"));
    assertThat(DashboardLint.recordedSeries(committed, rules)).isEmpty();
    List<Path> generatedOnly =
        DashboardLint.ruleFiles(DEPLOY.resolve("prometheus/rules/generated"));
    assertThat(
            DashboardLint.recordedSeries(
                Map.of("catalog-slo.json", committed.get("catalog-slo.json")), generatedOnly))
        .as("the SLO dashboard reads only series of the generated SLO rules")
        .isEmpty();
  }

  @Test
  void everyDashboardUsesACurrentSchemaAndItsOwnUid() {
    assertThat(committed.values())
        .allSatisfy(d -> assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39));
    assertThat(committed.values().stream().map(d -> d.path("uid").asText()).distinct())
        .hasSize(committed.size());
  }

  @Test
  void theLatencyPanelShowsExemplarsAndLinksToTraces() {
    JsonNode latency =
        DashboardLint.panels(committed.get("catalog-golden-signals.json")).stream()
            .filter(p -> p.path("title").asText().equals("Latency p50 / p95 / p99"))
            .findFirst()
            .orElseThrow();
    assertThat(latency.path("targets").findValues("exemplar")).anyMatch(JsonNode::asBoolean);
    String dataLink =
        latency.path("fieldConfig").path("defaults").path("links").get(0).path("url").asText();
    assertThat(DashboardLint.exploreDatasources(dataLink)).containsExactly("tempo");
    assertThat(dataLink).contains("${service}", "${__from}", "${__to}");
  }

  @Test
  void eachCheckReportsADashboardBrokenOnPurpose(@TempDir Path work) throws Exception {
    ObjectNode broken = committed.get("catalog-golden-signals.json").deepCopy();
    List<JsonNode> panels = DashboardLint.panels(broken);
    ((ObjectNode) panels.get(2)).set("gridPos", panels.get(1).path("gridPos").deepCopy());
    ((ObjectNode) panels.get(3)).put("id", panels.get(1).path("id").asInt());
    ((ObjectNode) panels.get(1).path("datasource")).put("uid", "grafana-cloud");
    ((ObjectNode) panels.get(1).path("targets").get(0))
        .put("expr", "sum(rate(http_requests_total[$__rate_interval])");
    ((ObjectNode) panels.get(4).path("targets").get(0)).put("expr", "service:http_requestz:rate5m");
    Map<String, JsonNode> dashboards = Map.of("broken.json", broken);

    assertThat(DashboardLint.layout(dashboards))
        .anyMatch(p -> p.contains("overlap"))
        .anyMatch(p -> p.contains("share id"));
    assertThat(DashboardLint.datasources(dashboards, DATASOURCES))
        .singleElement()
        .asString()
        .contains("'grafana-cloud' is not provisioned");
    assertThat(DashboardLint.promql(dashboards, work))
        .singleElement()
        .asString()
        .contains("lint:broken_json:panel2_A");
    assertThat(
            DashboardLint.recordedSeries(
                dashboards, DashboardLint.ruleFiles(DEPLOY.resolve("prometheus/rules"))))
        .singleElement()
        .asString()
        .contains("service:http_requestz:rate5m, which no rule file records");
  }
}
