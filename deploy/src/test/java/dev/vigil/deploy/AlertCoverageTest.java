package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every alert of every rule file (hand-written and generated) ships with what an on-call engineer
 * needs: labels that route it, annotations that explain it, a runbook with the five sections at the
 * place its runbook_url names, and promtool unit tests that see it fire and see it stay quiet.
 */
class AlertCoverageTest {

  static final String RUNBOOK_URL_PREFIX = "https://github.com/vigil-sre/vigil/blob/main/";
  static final List<String> RUNBOOK_SECTIONS =
      List.of("Meaning", "Impact", "Diagnosis", "Mitigation", "Escalation");
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "none");

  /** An alerting rule and the file that defines it. */
  record Alert(String name, JsonNode rule, Path file) {
    boolean handWritten() {
      return !file.getParent().getFileName().toString().equals("generated");
    }
  }

  /**
   * What the unit tests say about one alert: a firing case, a quiet case, the rule files loaded.
   */
  static final class Coverage {
    boolean firing;
    boolean quiet;
    final Set<Path> ruleFiles = new HashSet<>();
  }

  @TestFactory
  Stream<DynamicTest> everyAlertHasLabelsAnnotationsRunbookAndTests() {
    List<Alert> alerts = alerts();
    assertThat(alerts).as("alerts in deploy/prometheus/rules").isNotEmpty();
    Map<String, Coverage> coverage = unitTestCoverage();
    return alerts.stream()
        .map(
            alert ->
                DynamicTest.dynamicTest(
                    alert.name(),
                    () -> {
                      assertRoutingLabels(alert);
                      assertAnnotations(alert);
                      assertRunbook(alert);
                      assertUnitTests(alert, coverage.get(alert.name()));
                    }));
  }

  private static void assertRoutingLabels(Alert alert) {
    JsonNode labels = alert.rule().path("labels");
    assertThat(labels.path("severity").asText())
        .as(
            "%s (%s): label severity routes it (critical = page, warning = ticket)",
            alert.name(), alert.file())
        .isIn(SEVERITIES);
    if (alert.handWritten()) {
      assertThat(labels.path("family").asText())
          .as(
              "%s: label family groups it for inhibition (see deploy/alertmanager/alertmanager.yml)",
              alert.name())
          .isNotBlank();
    }
  }

  private static void assertAnnotations(Alert alert) {
    JsonNode annotations = alert.rule().path("annotations");
    assertThat(annotations.path("summary").asText())
        .as("%s: annotation summary", alert.name())
        .isNotBlank();
    // absent(...) is 1 whenever it fires: its value says nothing, so only other alerts must show
    // it.
    if (!alert.rule().path("expr").asText().strip().startsWith("absent(")) {
      assertThat(annotations.path("description").asText())
          .as(
              "%s: annotation description must show the value ({{ $value }}, humanized)",
              alert.name())
          .contains("$value");
    }
  }

  private static void assertRunbook(Alert alert) throws IOException {
    String url = alert.rule().at("/annotations/runbook_url").asText();
    assertThat(url)
        .as("%s: runbook_url", alert.name())
        .startsWith(RUNBOOK_URL_PREFIX + "docs/runbooks/");
    Path runbook = SourceTree.root().resolve(url.substring(RUNBOOK_URL_PREFIX.length()));
    assertThat(runbook)
        .as("%s: runbook_url %s points to a file of this repository", alert.name(), url)
        .isRegularFile();
    String text = Files.readString(runbook);
    for (String section : RUNBOOK_SECTIONS) {
      assertThat(Pattern.compile("(?m)^## " + section + "\\s*$\\s*\\S").matcher(text).find())
          .as("%s: runbook %s has a non-empty '## %s' section", alert.name(), runbook, section)
          .isTrue();
    }
  }

  private static void assertUnitTests(Alert alert, Coverage coverage) {
    assertThat(coverage)
        .as(
            "%s: no promtool unit test (alert_rule_test with alertname: %s) under deploy/prometheus/tests",
            alert.name(), alert.name())
        .isNotNull();
    assertThat(coverage.ruleFiles)
        .as("%s: the unit tests that name it load its rule file", alert.name())
        .contains(alert.file().toAbsolutePath().normalize());
    assertThat(coverage.firing).as("%s: a unit test expects it to fire", alert.name()).isTrue();
    boolean alwaysFires = alert.rule().path("expr").asText().strip().equals("vector(1)");
    if (!alwaysFires) {
      assertThat(coverage.quiet)
          .as(
              "%s: a unit test expects it to stay quiet (below threshold, short burst)",
              alert.name())
          .isTrue();
    }
  }

  static List<Alert> alerts() {
    List<Alert> alerts = new ArrayList<>();
    for (Path file : SourceTree.ruleFiles()) {
      SourceTree.yaml(file)
          .path("groups")
          .forEach(
              group ->
                  group
                      .path("rules")
                      .forEach(
                          rule -> {
                            if (rule.has("alert")) {
                              alerts.add(new Alert(rule.path("alert").asText(), rule, file));
                            }
                          }));
    }
    return alerts;
  }

  private static Map<String, Coverage> unitTestCoverage() {
    Map<String, Coverage> coverage = new HashMap<>();
    Path tests = SourceTree.deploy().resolve("prometheus").resolve("tests");
    for (Path file : SourceTree.ymlFilesRecursively(tests)) {
      JsonNode document = SourceTree.yaml(file);
      List<Path> ruleFiles = new ArrayList<>();
      document
          .path("rule_files")
          .forEach(
              r ->
                  ruleFiles.add(file.getParent().resolve(r.asText()).toAbsolutePath().normalize()));
      document
          .path("tests")
          .forEach(
              test ->
                  test.path("alert_rule_test")
                      .forEach(
                          check -> {
                            Coverage c =
                                coverage.computeIfAbsent(
                                    check.path("alertname").asText(), name -> new Coverage());
                            c.ruleFiles.addAll(ruleFiles);
                            if (check.path("exp_alerts").isEmpty()) {
                              c.quiet = true;
                            } else {
                              c.firing = true;
                            }
                          }));
    }
    return coverage;
  }
}
