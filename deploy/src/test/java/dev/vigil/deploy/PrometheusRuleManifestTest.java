package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/prometheus-rule.yaml is generated from the rule files, never edited by hand: the committed
 * file must equal the generator's output. With -Dvigil.regenerate=true the test rewrites it instead.
 */
class PrometheusRuleManifestTest {

    private final Path root = SourceTree.root();
    private final Path manifest = root.resolve(PrometheusRuleManifest.MANIFEST);

    @Test
    void committedManifestEqualsTheGeneratedOne() throws IOException {
        String generated = PrometheusRuleManifest.render(root);
        if (Boolean.getBoolean("vigil.regenerate")) {
            Files.writeString(manifest, generated);
        }
        assertThat(manifest).as("the generated PrometheusRule").exists();
        assertThat(Files.readString(manifest))
                .as("%s is stale: the rule files changed. Regenerate it with%n  ./mvnw -B -q -pl deploy -am test"
                        + " -Dtest=PrometheusRuleManifestTest -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.regenerate=true",
                        root.relativize(manifest))
                .isEqualTo(generated);
    }

    @Test
    void manifestCarriesEveryGroupOfEveryRuleFileUnchanged() {
        List<JsonNode> expected = new ArrayList<>();
        for (Path file : SourceTree.ymlFiles(root.resolve(PrometheusRuleManifest.RULES))) {
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
