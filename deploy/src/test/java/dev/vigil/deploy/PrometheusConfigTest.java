package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus and blackbox_exporter configurations are valid and scrape every target of the
 * local stack.
 */
class PrometheusConfigTest {

  private final PrometheusTool promtool = PrometheusTool.PROMTOOL;
  private final Path prometheusDir = SourceTree.deploy().resolve("prometheus");

  @Test
  void localConfigurationPassesPromtool() throws IOException {
    assertPromtoolAccepts(prometheusDir, "prometheus.yml");
  }

  @Test
  void composeConfigurationPassesPromtool() throws IOException {
    assertPromtoolAccepts(prometheusDir, "prometheus-compose.yml");
  }

  @Test
  void localConfigurationScrapesTheContractedTargets() {
    JsonNode config = SourceTree.yaml(prometheusDir.resolve("prometheus.yml"));
    Map<String, JsonNode> jobs = jobsByName(config);

    assertThat(jobs)
        .containsKeys(
            "catalog", "payments", "node", "blackbox-healthz", "prometheus", "alertmanager");
    assertThat(staticTargets(jobs.get("catalog"))).containsExactly("127.0.0.1:8000");
    assertThat(jobs.get("catalog").at("/static_configs/0/labels/service").asText())
        .isEqualTo("catalog");
    assertThat(staticTargets(jobs.get("node"))).containsExactly("127.0.0.1:9100");
    assertThat(staticTargets(jobs.get("prometheus"))).containsExactly("127.0.0.1:9090");
    assertThat(staticTargets(jobs.get("alertmanager"))).containsExactly("127.0.0.1:9093");
    assertThat(config.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText())
        .isEqualTo("127.0.0.1:9093");
    assertThat(texts(config.path("rule_files")))
        .containsExactly("rules/*.yml", "rules/generated/*.yml");

    JsonNode payments = jobs.get("payments");
    Path paymentsTargets =
        prometheusDir.resolve(payments.at("/file_sd_configs/0/files/0").asText());
    assertThat(paymentsTargets).as("the payments job's target file").exists();
    assertThat(SourceTree.yaml(paymentsTargets).isArray())
        .as("file_sd targets are a YAML list")
        .isTrue();
  }

  @Test
  void blackboxJobProbesTheCatalogLivenessThroughTheExporter() {
    JsonNode job =
        jobsByName(SourceTree.yaml(prometheusDir.resolve("prometheus.yml")))
            .get("blackbox-healthz");

    assertThat(job.path("metrics_path").asText()).isEqualTo("/probe");
    assertThat(texts(job.at("/params/module"))).containsExactly("http_2xx");
    assertThat(staticTargets(job)).containsExactly("http://127.0.0.1:8000/healthz");
    assertThat(job.at("/static_configs/0/labels/service").asText()).isEqualTo("catalog");
    List<String> relabels = new ArrayList<>();
    job.path("relabel_configs")
        .forEach(
            r ->
                relabels.add(
                    texts(r.path("source_labels"))
                        + "->"
                        + r.path("target_label").asText()
                        + "="
                        + r.path("replacement").asText("")));
    assertThat(relabels)
        .containsExactly(
            "[__address__]->__param_target=",
            "[__param_target]->instance=",
            "[]->__address__=127.0.0.1:9115");

    JsonNode blackbox =
        SourceTree.yaml(SourceTree.deploy().resolve("blackbox").resolve("blackbox.yml"));
    assertThat(blackbox.at("/modules/http_2xx/prober").asText()).isEqualTo("http");
  }

  @Test
  void blackboxExporterAcceptsItsModules() throws IOException {
    PrometheusTool exporter = PrometheusTool.BLACKBOX_EXPORTER;
    PrometheusTool.Result result =
        exporter.run(
            SourceTree.deploy().resolve("blackbox"),
            "--config.file=blackbox.yml",
            "--config.check");
    assertThat(result.succeeded())
        .as("prometheus-blackbox-exporter --config.check said:%n%s", result.output())
        .isTrue();
  }

  /**
   * The Kubernetes variant relies on kubernetes_sd_configs, which Debian's Prometheus 2.42 is built
   * without. When promtool rejects exactly that field, the discovery blocks are checked here (role,
   * namespaces) and promtool checks everything else with static targets in their place.
   */
  @Test
  void kubernetesConfigurationPassesPromtool(@TempDir Path work) throws IOException {
    PrometheusTool.Result original =
        promtool.run(prometheusDir, "check", "config", "prometheus-kubernetes.yml");
    if (original.succeeded()) {
      return;
    }
    assertThat(original.output())
        .as(
            "promtool rejected prometheus-kubernetes.yml for another reason than missing Kubernetes discovery")
        .contains("field kubernetes_sd_configs not found");

    JsonNode config = SourceTree.yaml(prometheusDir.resolve("prometheus-kubernetes.yml"));
    List<JsonNode> discoveries = new ArrayList<>();
    replaceKubernetesDiscovery(config, discoveries);
    assertThat(discoveries).as("kubernetes_sd_configs blocks").hasSize(2);
    for (JsonNode discovery : discoveries) {
      assertThat(discovery.path("role").asText()).isEqualTo("pod");
      assertThat(discovery.at("/namespaces/names").isArray())
          .as("namespaces.names is a list")
          .isTrue();
      assertThat(discovery.at("/namespaces/names")).isNotEmpty();
    }
    JsonNode podsJob = jobsByName(config).get("kubernetes-pods");
    List<String> sources = new ArrayList<>();
    podsJob.path("relabel_configs").forEach(r -> sources.addAll(texts(r.path("source_labels"))));
    assertThat(sources)
        .contains(
            "__meta_kubernetes_pod_annotation_prometheus_io_scrape",
            "__meta_kubernetes_pod_annotation_prometheus_io_port",
            "__meta_kubernetes_pod_annotation_prometheus_io_path");

    Files.createSymbolicLink(work.resolve("rules"), prometheusDir.resolve("rules"));
    Files.writeString(work.resolve("prometheus-kubernetes.yml"), SourceTree.toYaml(config));
    assertPromtoolAccepts(work, "prometheus-kubernetes.yml");
  }

  private void assertPromtoolAccepts(Path directory, String file) throws IOException {
    PrometheusTool.Result result = promtool.run(directory, "check", "config", file);
    assertThat(result.succeeded())
        .as("promtool check config %s said:%n%s", file, result.output())
        .isTrue();
  }

  /**
   * Replaces every kubernetes_sd_configs list by an equivalent static target, collecting the
   * blocks.
   */
  private static void replaceKubernetesDiscovery(JsonNode node, List<JsonNode> found) {
    if (node instanceof ObjectNode object) {
      JsonNode discovery = object.remove("kubernetes_sd_configs");
      if (discovery != null) {
        discovery.forEach(found::add);
        ArrayNode statics = object.putArray("static_configs");
        statics.addObject().putArray("targets").add("kubernetes-discovered.invalid:80");
      }
      object.forEach(child -> replaceKubernetesDiscovery(child, found));
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> replaceKubernetesDiscovery(child, found));
    }
  }

  private static Map<String, JsonNode> jobsByName(JsonNode config) {
    Map<String, JsonNode> jobs = new TreeMap<>();
    config.path("scrape_configs").forEach(job -> jobs.put(job.path("job_name").asText(), job));
    return jobs;
  }

  private static List<String> staticTargets(JsonNode job) {
    List<String> targets = new ArrayList<>();
    job.path("static_configs").forEach(group -> targets.addAll(texts(group.path("targets"))));
    return targets;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
