package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ha topology of deploy/k8s-ha validated without a cluster, as deploy/k8s is: each resource has
 * its kind's apiVersion, the kustomization applies every file, and the wiring between resources
 * holds (peers by StatefulSet DNS name, notifiers, shard count, disruption budgets, Services). The
 * embedded scrape config is read by VictoriaMetrics' own parser, the vmagent scrape config
 * (prometheus-kubernetes.yml) by vmagent's.
 */
class HaManifestsTest {

  private static final Map<String, String> API_VERSIONS =
      Map.of(
          "Service", "v1",
          "ConfigMap", "v1",
          "Deployment", "apps/v1",
          "StatefulSet", "apps/v1",
          "PodDisruptionBudget", "policy/v1");

  private final Path dir = SourceTree.deploy().resolve("k8s-ha");
  private final List<JsonNode> resources = new ArrayList<>();

  @TempDir Path work;

  HaManifestsTest() throws IOException {
    for (Path file : manifests()) {
      resources.addAll(SourceTree.yamlDocuments(file));
    }
  }

  private List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  private JsonNode named(String kind, String name) {
    return resources.stream()
        .filter(r -> r.path("kind").asText().equals(kind))
        .filter(r -> r.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s-ha"));
  }

  private static List<String> args(JsonNode workload) {
    List<String> out = new ArrayList<>();
    workload.at("/spec/template/spec/containers/0/args").forEach(a -> out.add(a.asText()));
    return out;
  }

  @Test
  void kustomizationAppliesTheBaseAndEveryManifest() throws IOException {
    JsonNode kustomization = SourceTree.yaml(dir.resolve("kustomization.yaml"));
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> files = new TreeSet<>();
    manifests().forEach(f -> files.add(f.getFileName().toString()));
    assertThat(listed).contains("../k8s").containsAll(files);
    assertThat(kustomization.path("namespace").asText()).isEqualTo("vigil");
    for (JsonNode r : resources) {
      String kind = r.path("kind").asText();
      assertThat(API_VERSIONS).as("known kind %s", kind).containsKey(kind);
      assertThat(r.path("apiVersion").asText()).as(kind).isEqualTo(API_VERSIONS.get(kind));
    }
  }

  @Test
  void eachAlertmanagerIsTheOthersPeerAndEveryVmalertNotifiesEachOne() {
    JsonNode alertmanager = named("StatefulSet", "alertmanager");
    int replicas = alertmanager.at("/spec/replicas").asInt();
    String service = alertmanager.at("/spec/serviceName").asText();
    JsonNode headless = named("Service", service);
    assertThat(headless.at("/spec/clusterIP").asText()).as("a headless Service").isEqualTo("None");
    assertThat(
            matches(
                headless.at("/spec/selector"), alertmanager.at("/spec/template/metadata/labels")))
        .as("the headless Service selects the Alertmanager pods")
        .isTrue();
    List<String> peers = new ArrayList<>();
    List<String> notified = new ArrayList<>();
    List<String> expectedPeers = new ArrayList<>();
    List<String> expectedNotified = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      expectedPeers.add("alertmanager-" + i + "." + service + ":9094");
      expectedNotified.add("http://alertmanager-" + i + "." + service + ":9093");
    }
    for (String a : args(alertmanager)) {
      if (a.startsWith("--cluster.peer=")) {
        peers.add(a.substring("--cluster.peer=".length()));
      }
    }
    for (String a : args(named("Deployment", "vmalert"))) {
      if (a.startsWith("-notifier.url=")) {
        notified.add(a.substring("-notifier.url=".length()));
      }
    }
    assertThat(replicas).isGreaterThanOrEqualTo(2);
    assertThat(peers).containsExactlyInAnyOrderElementsOf(expectedPeers);
    assertThat(notified).containsExactlyInAnyOrderElementsOf(expectedNotified);
  }

  @Test
  void vmagentShardsAreItsReplicasAndNameThemselvesByPod() {
    JsonNode vmagent = named("StatefulSet", "vmagent");
    int replicas = vmagent.at("/spec/replicas").asInt();
    assertThat(args(vmagent))
        .contains(
            "-promscrape.cluster.membersCount=" + replicas,
            "-promscrape.cluster.memberNum=$(POD_NAME)",
            "-remoteWrite.url=http://victoria-metrics:8428/api/v1/write");
    assertThat(
            vmagent
                .at("/spec/template/spec/containers/0/env/0/valueFrom/fieldRef/fieldPath")
                .asText())
        .isEqualTo("metadata.name");
    assertThat(args(named("Deployment", "vmalert")))
        .contains(
            "-datasource.url=http://victoria-metrics:8428",
            "-remoteRead.url=http://victoria-metrics:8428");
  }

  @Test
  void everyDisruptionBudgetSelectsReplicatedPodsAndKeepsOne() throws IOException {
    List<JsonNode> workloads = new ArrayList<>(resources);
    for (JsonNode base :
        SourceTree.yamlDocuments(SourceTree.deploy().resolve("k8s/deployment.yaml"))) {
      workloads.add(base);
    }
    List<JsonNode> budgets =
        resources.stream()
            .filter(r -> r.path("kind").asText().equals("PodDisruptionBudget"))
            .toList();
    assertThat(budgets)
        .extracting(b -> b.at("/metadata/name").asText())
        .contains("catalog", "alertmanager", "vmalert", "vmagent");
    for (JsonNode budget : budgets) {
      JsonNode selector = budget.at("/spec/selector/matchLabels");
      List<JsonNode> selected =
          workloads.stream()
              .filter(w -> Set.of("Deployment", "StatefulSet").contains(w.path("kind").asText()))
              .filter(w -> matches(selector, w.at("/spec/template/metadata/labels")))
              .toList();
      assertThat(selected)
          .as("pods selected by PodDisruptionBudget %s", budget.at("/metadata/name"))
          .hasSize(1);
      int replicas = selected.get(0).at("/spec/replicas").asInt(1);
      int minAvailable = budget.at("/spec/minAvailable").asInt();
      assertThat(minAvailable).as("at least one kept").isGreaterThanOrEqualTo(1);
      assertThat(minAvailable)
          .as("a drain can still move one of %d", replicas)
          .isLessThan(replicas);
    }
  }

  @Test
  void everyServiceSelectsPodsAndReachesANamedContainerPort() {
    for (JsonNode service :
        resources.stream().filter(r -> r.path("kind").asText().equals("Service")).toList()) {
      JsonNode workload =
          resources.stream()
              .filter(w -> Set.of("Deployment", "StatefulSet").contains(w.path("kind").asText()))
              .filter(
                  w ->
                      matches(service.at("/spec/selector"), w.at("/spec/template/metadata/labels")))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "Service " + service.at("/metadata/name") + " selects no pods"));
      Set<String> ports = new TreeSet<>();
      workload
          .at("/spec/template/spec/containers/0/ports")
          .forEach(p -> ports.add(p.path("name").asText()));
      service
          .at("/spec/ports")
          .forEach(
              p ->
                  assertThat(ports)
                      .as("targetPort of Service %s", service.at("/metadata/name"))
                      .contains(p.path("targetPort").asText()));
    }
  }

  @Test
  void theScrapeConfigsParseInVictoriaMetricsAndVmagent() throws IOException {
    Path scrape = work.resolve("scrape.yml");
    Files.writeString(
        scrape, named("ConfigMap", "victoria-metrics-scrape").at("/data/scrape.yml").asText());
    ScrapeConfigCheck.assertAccepted(PrometheusTool.VICTORIA_METRICS, work, scrape);
    ScrapeConfigCheck.assertAccepted(
        PrometheusTool.VMAGENT,
        work,
        SourceTree.deploy().resolve("prometheus/prometheus-kubernetes.yml"),
        "-promscrape.config.strictParse=false");
    assertThat(
            new ObjectMapper(new YAMLFactory())
                .readTree(scrape.toFile())
                .at("/scrape_configs/0/job_name")
                .asText())
        .as("the job ScraperDown watches")
        .isEqualTo("vmagent");
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    if (!selector.isObject() || selector.isEmpty()) {
      return false;
    }
    for (var e : selector.properties()) {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText())) {
        return false;
      }
    }
    return true;
  }
}
