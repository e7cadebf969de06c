package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.slo.dashboard.Dashboard;
import dev.vigil.slo.dashboard.Dashboards;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.telemetry.http.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console and Grafana draw the same dashboards: each committed Grafana JSON file under {@code
 * deploy/grafana/dashboards} (written by {@code vigil slo generate}) has exactly the panels, in the
 * same order, with the same types, titles and queries, as the console serves for that uid, and the
 * same variables. A panel added to the model once appears in both; a stale file fails here too.
 */
class DashboardRenderersInStepTest {

  private static final Path ROOT = LiveConsole.ROOT;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleDashboards console =
      new ConsoleDashboards(
          new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos(), null);

  @Test
  void everyGrafanaDashboardHasTheConsolesPanelsQueriesAndVariables() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(ROOT.resolve("deploy/grafana/dashboards"))) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("committed Grafana dashboards").hasSize(4);
    List<String> uids = new ArrayList<>();
    for (Path file : files) {
      JsonNode grafana = JSON.readTree(file.toFile());
      String uid = grafana.path("uid").asText();
      uids.add(uid);
      Map<String, Object> view = console.view(uid);
      assertThat(view.get("title")).isEqualTo(grafana.path("title").asText());
      assertThat(panels(JSON.valueToTree(view.get("panels"))))
          .as("%s: the console's panels are Grafana's (regenerate: ./vigil regenerate)", file)
          .isEqualTo(panels(grafana.path("panels")));
      List<String> grafanaVariables = new ArrayList<>();
      grafana
          .path("templating")
          .path("list")
          .forEach(
              v -> grafanaVariables.add(v.path("name").asText() + " " + v.path("query").asText()));
      List<String> consoleVariables = new ArrayList<>();
      JSON.valueToTree(view.get("variables"))
          .forEach(
              v -> consoleVariables.add(v.path("name").asText() + " " + v.path("query").asText()));
      assertThat(consoleVariables).as("%s variables", file).isEqualTo(grafanaVariables);
    }
    assertThat(console.list().stream().map(d -> d.get("uid")))
        .as("the console lists every dashboard of the model and no other")
        .containsExactlyInAnyOrderElementsOf(uids);
  }

  @Test
  void dependencyAndSaturationDashboardsExistForEveryServiceWithSlos() {
    Map<String, Dashboard> model =
        Dashboards.of(new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos());
    assertThat(model.keySet())
        .containsExactly(
            "catalog-slo.json",
            "catalog-golden-signals.json",
            "catalog-dependencies.json",
            "catalog-saturation.json");
    assertThat(titles(model.get("catalog-dependencies.json")))
        .contains(
            "Database connection pool",
            "Database query p95 by statement",
            "Slow queries and database errors",
            "Cache hit ratio",
            "Queue depth",
            "Queue processing time p95",
            "Payment calls by outcome",
            "Payment circuit breaker");
    assertThat(titles(model.get("catalog-saturation.json")))
        .contains("Process CPU", "JVM heap", "GC time", "JVM threads", "Host disk used");
  }

  @Test
  void aVariableValueThatIsNotALabelValueIsRefusedNotPastedIntoPromQl() {
    Dashboard golden =
        Dashboards.of(new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos())
            .get("catalog-golden-signals.json");
    String expr = "up{service=\"$service\",instance=~\"$instance\"}[$__rate_interval]";
    assertThat(
            ConsoleDashboards.expand(
                expr,
                golden,
                Map.of("service", List.of("catalog"), "instance", List.of("All")),
                30))
        .isEqualTo("up{service=\"catalog\",instance=~\".*\"}[60s]");
    assertThat(
            ConsoleDashboards.expand(
                expr, golden, Map.of("instance", List.of("127.0.0.1:8080")), 120))
        .as("one instance is a literal regex; the step widens the rate window")
        .isEqualTo("up{service=\"catalog\",instance=~\"127\\\\.0\\\\.0\\\\.1:8080\"}[135s]");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ConsoleDashboards.expand(
                    expr, golden, Map.of("service", List.of("x\"} or vector(1) #")), 30))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("variable service");
  }

  private static List<String> titles(Dashboard d) {
    return d.panels().stream().map(p -> p.title()).toList();
  }

  /** id, type, title and queries of each panel, one string each. */
  private static List<String> panels(JsonNode panels) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : panels) {
      StringBuilder s =
          new StringBuilder(
              p.path("id").asText()
                  + " "
                  + p.path("type").asText()
                  + " "
                  + p.path("title").asText());
      for (JsonNode t : p.path("targets")) {
        s.append(" | ")
            .append(t.path("expr").asText())
            .append(" @ ")
            .append(t.path("legendFormat").asText(t.path("legend").asText()));
      }
      out.add(s.toString());
    }
    return out;
  }
}
