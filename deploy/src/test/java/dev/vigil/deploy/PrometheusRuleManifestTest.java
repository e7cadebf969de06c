package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.slo.generate.PrometheusRuleManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/prometheus-rule.yaml is generated from the hand-written rule files by {@code vigil slo
 * generate}, never edited by hand: the committed file must equal the generator's output, and carry
 * every group of every rule file unchanged (read back from YAML, not compared with the generator's
 * text).
 */
class PrometheusRuleManifestTest {

  private final Path root = SourceTree.root();
  private final Path manifest = SourceTree.deploy().resolve(PrometheusRuleManifest.MANIFEST);

  @Test
  void committedManifestEqualsTheGeneratedOne() throws IOException {
    String generated = PrometheusRuleManifest.ofRuleFiles(SourceTree.deploy()).orElseThrow();
    assertThat(manifest).as("the generated PrometheusRule").exists();
    assertThat(Files.readString(manifest))
        .as(
            "%s is stale: the rule files changed. Regenerate it with ./vigil regenerate",
            root.relativize(manifest))
        .isEqualTo(generated);
  }

  @Test
  void manifestCarriesEveryGroupOfEveryRuleFileUnchanged() {
    List<JsonNode> expected = new ArrayList<>();
    for (Path file :
        SourceTree.ymlFiles(SourceTree.deploy().resolve(PrometheusRuleManifest.RULES))) {
      SourceTree.yaml(file).path("groups").forEach(expected::add);
    }
    JsonNode document = SourceTree.yaml(manifest);
    List<JsonNode> carried = new ArrayList<>();
    document.at("/spec/groups").forEach(carried::add);

    assertThat(document.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(document.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(carried).as("groups of the PrometheusRule, read back from YAML").isEqualTo(expected);
  }
}
