package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.prometheus.PrometheusTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * deploy/alertmanager/alertmanager.yml and the real-receiver examples are valid for amtool, route
 * each severity to its receiver, and keep one routing tree and one set of inhibition rules.
 */
class AlertmanagerConfigTest {

  private static final Path ALERTMANAGER = SourceTree.deploy().resolve("alertmanager");
  private static final List<String> CONFIGS =
      List.of(
          "alertmanager.yml", "examples/pagerduty.yml", "examples/slack.yml", "examples/email.yml");

  /** Label sets of typical alerts and the receiver each must reach (pager, ticket, watchdog). */
  private static final Map<String, String> ROUTES =
      Map.of(
          "alertname=HighErrorRate severity=critical family=errors service=catalog", "pager",
          "alertname=SloBurnRatePage severity=critical slo=availability service=catalog", "pager",
          "alertname=HighLatency severity=warning family=latency service=catalog", "ticket",
          "alertname=SloBurnRateTicket severity=warning slo=latency service=catalog", "ticket",
          "alertname=Watchdog severity=none family=meta", "watchdog",
          "alertname=Watchdog severity=critical", "watchdog",
          "alertname=SomethingWithoutSeverity service=catalog", "ticket");

  private final PrometheusTool amtool = PrometheusTool.AMTOOL;

  @TestFactory
  Stream<DynamicTest> everyConfigurationPassesAmtoolCheck() {
    return CONFIGS.stream()
        .map(
            config ->
                DynamicTest.dynamicTest(
                    config,
                    () -> {
                      PrometheusTool.Result result =
                          amtool.run(ALERTMANAGER, "check-config", config);
                      assertThat(result.succeeded())
                          .as("amtool check-config %s said:%n%s", config, result.output())
                          .isTrue();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> eachSeverityReachesItsReceiver() {
    return CONFIGS.stream()
        .flatMap(
            config ->
                ROUTES.entrySet().stream()
                    .map(
                        route ->
                            DynamicTest.dynamicTest(
                                config + ": " + route.getKey() + " -> " + route.getValue(),
                                () -> {
                                  List<String> arguments =
                                      new ArrayList<>(
                                          List.of(
                                              "config",
                                              "routes",
                                              "test",
                                              "--config.file=" + config,
                                              "--verify.receivers=" + route.getValue()));
                                  arguments.addAll(List.of(route.getKey().split(" ")));
                                  PrometheusTool.Result result =
                                      amtool.run(ALERTMANAGER, arguments.toArray(String[]::new));
                                  assertThat(result.succeeded())
                                      .as(
                                          "amtool config routes test %s sent {%s} elsewhere than %s:%n%s",
                                          config, route.getKey(), route.getValue(), result.output())
                                      .isTrue();
                                })));
  }

  @Test
  void notificationsGroupByAlertAndServiceAndReachTheLocalReceiver() {
    JsonNode config = SourceTree.yaml(ALERTMANAGER.resolve("alertmanager.yml"));
    assertThat(texts(config.at("/route/group_by"))).containsExactly("alertname", "service");
    for (String receiver : List.of("pager", "ticket", "watchdog")) {
      JsonNode entry =
          receivers(config).stream()
              .filter(r -> r.path("name").asText().equals(receiver))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("alertmanager.yml has no receiver " + receiver));
      assertThat(entry.at("/webhook_configs/0/url").asText())
          .isEqualTo("http://127.0.0.1:9095/alerts/" + receiver);
    }
  }

  @Test
  void examplesShareTheRoutingTreeAndInhibitionRules() {
    JsonNode main = SourceTree.yaml(ALERTMANAGER.resolve("alertmanager.yml"));
    for (String example : CONFIGS.subList(1, CONFIGS.size())) {
      JsonNode config = SourceTree.yaml(ALERTMANAGER.resolve(example));
      assertThat(config.path("route"))
          .as("%s: route tree, as in alertmanager.yml", example)
          .isEqualTo(main.path("route"));
      assertThat(config.path("inhibit_rules"))
          .as("%s: inhibit_rules, as in alertmanager.yml", example)
          .isEqualTo(main.path("inhibit_rules"));
    }
  }

  @Test
  void criticalInhibitsWarningOfTheSameServiceAndFamilyOrSlo() {
    Set<String> rules =
        inhibitRules(
            SourceTree.yaml(ALERTMANAGER.resolve("alertmanager.yml")).path("inhibit_rules"));
    assertThat(rules)
        .contains(
            "[family=~\".+\", severity=\"critical\"] -> [family=~\".+\", severity=\"warning\"] equal [family, service]",
            "[alertname=\"SloBurnRatePage\", severity=\"critical\"] -> "
                + "[alertname=~\"SloBurnRateTicket|SloErrorBudgetExhausted\", severity=\"warning\"] equal [service, slo]");
  }

  /**
   * The inhibition snippet that vigil slo generate writes must be carried by alertmanager.yml, rule
   * for rule.
   */
  @Test
  void generatedSloInhibitionRulesAreCarried() {
    Path snippet = ALERTMANAGER.resolve("generated").resolve("slo-inhibit-rules.yml");
    assertThat(snippet)
        .as("the SLO engine's inhibition snippet (vigil slo generate)")
        .isRegularFile();
    JsonNode generated = SourceTree.yaml(snippet);
    JsonNode generatedRules = generated.isArray() ? generated : generated.path("inhibit_rules");
    Set<String> carried =
        inhibitRules(
            SourceTree.yaml(ALERTMANAGER.resolve("alertmanager.yml")).path("inhibit_rules"));
    assertThat(carried)
        .as("alertmanager.yml inhibit_rules carry every rule of %s", snippet)
        .containsAll(inhibitRules(generatedRules));
  }

  /** Inhibition rules in a canonical text form: sorted matchers, sorted equal labels. */
  private static Set<String> inhibitRules(JsonNode rules) {
    Set<String> canonical = new TreeSet<>();
    rules.forEach(
        rule ->
            canonical.add(
                matchers(rule.path("source_matchers"))
                    + " -> "
                    + matchers(rule.path("target_matchers"))
                    + " equal "
                    + new TreeSet<>(texts(rule.path("equal")))));
    return canonical;
  }

  private static String matchers(JsonNode list) {
    TreeSet<String> sorted = new TreeSet<>();
    list.forEach(m -> sorted.add(m.asText().replace(" ", "")));
    return sorted.toString();
  }

  private static List<JsonNode> receivers(JsonNode config) {
    List<JsonNode> receivers = new ArrayList<>();
    config.path("receivers").forEach(receivers::add);
    return receivers;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
