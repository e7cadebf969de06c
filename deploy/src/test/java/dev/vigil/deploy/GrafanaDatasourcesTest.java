package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana data sources link the three pillars (exemplar -> trace, log -> trace, trace -> logs
 * and metrics) by UID: a typo in one UID silently turns a link off, so every reference is checked
 * here.
 */
class GrafanaDatasourcesTest {

  private static final Path FILE =
      SourceTree.deploy().resolve("grafana/provisioning/datasources/datasources.yaml");

  private final JsonNode datasources = SourceTree.yaml(FILE).get("datasources");

  @Test
  void everyDatasourceUidReferenceNamesAProvisionedDatasource() {
    Map<String, String> typeByUid = typeByUid();
    List<String> references = new ArrayList<>();
    collectUidReferences(datasources, "", references);

    assertThat(references).as("links between data sources in " + FILE).isNotEmpty();
    for (String reference : references) {
      String uid = reference.substring(reference.indexOf('=') + 1);
      assertThat(typeByUid)
          .as("%s refers to an unknown data source; provisioned: %s", reference, typeByUid.keySet())
          .containsKey(uid);
    }
  }

  @Test
  void thePillarsAreLinkedThroughTheTraceId() {
    Map<String, JsonNode> byUid = new HashMap<>();
    datasources.forEach(d -> byUid.put(d.get("uid").asText(), d));

    JsonNode exemplar = byUid.get("prometheus").at("/jsonData/exemplarTraceIdDestinations/0");
    assertThat(exemplar.get("name").asText())
        .as("the exemplar label the Prometheus Java client writes")
        .isEqualTo("trace_id");
    assertThat(exemplar.get("datasourceUid").asText()).isEqualTo("tempo");

    JsonNode derived = byUid.get("loki").at("/jsonData/derivedFields/0");
    assertThat(derived.get("matcherRegex").asText())
        .as("the log field Alloy keeps as structured metadata")
        .isEqualTo("trace_id");
    assertThat(derived.get("datasourceUid").asText()).isEqualTo("tempo");

    assertThat(byUid.get("tempo").at("/jsonData/tracesToLogsV2/datasourceUid").asText())
        .isEqualTo("loki");
    assertThat(byUid.get("tempo").at("/jsonData/tracesToMetrics/datasourceUid").asText())
        .isEqualTo("prometheus");
  }

  @Test
  void uidsAreUniqueAndTypesMatchTheirRole() {
    Map<String, String> typeByUid = typeByUid();

    assertThat(typeByUid).hasSize(datasources.size());
    assertThat(typeByUid)
        .containsEntry("prometheus", "prometheus")
        .containsEntry("loki", "loki")
        .containsEntry("tempo", "tempo");
  }

  private Map<String, String> typeByUid() {
    Map<String, String> typeByUid = new HashMap<>();
    datasources.forEach(d -> typeByUid.put(d.get("uid").asText(), d.get("type").asText()));
    return typeByUid;
  }

  private static void collectUidReferences(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                String at = path + "/" + field.getKey();
                if (field.getKey().equals("datasourceUid")) {
                  out.add(at + "=" + field.getValue().asText());
                } else {
                  collectUidReferences(field.getValue(), at, out);
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectUidReferences(node.get(i), path + "/" + i, out);
      }
    }
  }
}
