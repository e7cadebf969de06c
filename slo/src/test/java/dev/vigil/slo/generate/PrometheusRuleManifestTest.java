package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The PrometheusRule manifest as the Kubernetes API server reads it: the CRD types rule labels and
 * annotations as strings, so each value must parse as a YAML string (checked with an independent
 * YAML 1.2 parser, SnakeYAML Engine, not the writer's own library).
 */
class PrometheusRuleManifestTest {

  @TempDir Path deploy;

  @Test
  void numericAndBooleanLabelValuesAreQuotedStringsWhichTheCrdAccepts() throws Exception {
    Path rules = Files.createDirectories(deploy.resolve(PrometheusRuleManifest.RULES));
    Files.writeString(
        rules.resolve("tiers.yml"),
        """
        groups:
          - name: tiers
            rules:
              - alert: Tiered
                expr: vector(1)
                labels:
                  tier: 2
                  page: true
                  ratio: 0.5
                  severity: critical
                annotations:
                  priority: 1
        """);
    String manifest = PrometheusRuleManifest.ofRuleFiles(deploy).orElseThrow();
    assertThat(manifest).contains("tier: \"2\"");
    assertEveryLabelValueIsAString(manifest);
  }

  @Test
  void committedManifestsHoldOnlyStringLabelValues() throws Exception {
    Path root = Path.of(System.getProperty("vigil.root", ".."));
    List<Path> manifests =
        new java.util.ArrayList<>(List.of(root.resolve("deploy/k8s/prometheus-rule.yaml")));
    try (var generated = Files.list(root.resolve("deploy/k8s/generated"))) {
      generated.forEach(manifests::add);
    }
    for (Path m : manifests) {
      assertEveryLabelValueIsAString(Files.readString(m));
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertEveryLabelValueIsAString(String manifest) {
    Map<String, Object> doc =
        (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(manifest);
    List<Map<String, Object>> groups =
        (List<Map<String, Object>>) ((Map<String, Object>) doc.get("spec")).get("groups");
    for (Map<String, Object> group : groups) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        for (String key : List.of("labels", "annotations")) {
          Map<String, Object> values = (Map<String, Object>) rule.getOrDefault(key, Map.of());
          values.forEach(
              (k, v) ->
                  assertThat(v)
                      .as("%s %s.%s of %s", group.get("name"), key, k, rule)
                      .isInstanceOf(String.class));
        }
      }
    }
  }
}
