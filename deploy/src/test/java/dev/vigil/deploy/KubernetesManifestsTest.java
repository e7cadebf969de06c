package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Structural validation of deploy/k8s/ without a cluster: each resource has the apiVersion of its
 * kind, the fields the API server requires, and the references between resources resolve
 * (selectors, ports, ConfigMap keys, scale target, probe module). It does not replace `kubectl
 * apply --dry-run=server` against the real OpenAPI schemas: unknown fields deeper than those
 * checked here pass unnoticed.
 */
class KubernetesManifestsTest {

  private static final Map<String, String> API_VERSIONS =
      Map.of(
          "Namespace", "v1",
          "ConfigMap", "v1",
          "Service", "v1",
          "Deployment", "apps/v1",
          "HorizontalPodAutoscaler", "autoscaling/v2",
          "ServiceMonitor", "monitoring.coreos.com/v1",
          "Probe", "monitoring.coreos.com/v1",
          "PrometheusRule", "monitoring.coreos.com/v1");
  private static final Pattern DNS_1123 =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern CPU = Pattern.compile("\\d+(\\.\\d+)?m?");
  private static final Pattern MEMORY = Pattern.compile("\\d+(Ki|Mi|Gi|Ti|k|M|G|T)?");

  private final Path k8s = SourceTree.deploy().resolve("k8s");
  private final Map<String, JsonNode> byKind = new HashMap<>();

  KubernetesManifestsTest() throws IOException {
    for (Path file : resources()) {
      for (JsonNode document : SourceTree.yamlDocuments(file)) {
        byKind.put(document.path("kind").asText(), document);
      }
    }
  }

  @Test
  void kustomizationListsEveryManifestAndNothingMissing() throws IOException {
    JsonNode kustomization = SourceTree.yaml(k8s.resolve("kustomization.yaml"));
    assertThat(kustomization.path("apiVersion").asText())
        .isEqualTo("kustomize.config.k8s.io/v1beta1");
    assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
    assertThat(kustomization.path("namespace").asText()).isEqualTo("vigil");
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    for (String resource : listed) {
      assertThat(k8s.resolve(resource)).as("kustomization resource %s", resource).exists();
    }
    try (Stream<Path> files = Files.walk(k8s)) {
      Set<String> manifests =
          new TreeSet<>(
              files
                  .map(f -> k8s.relativize(f).toString())
                  .filter(
                      n ->
                          (n.endsWith(".yaml") || n.endsWith(".yml"))
                              && !n.equals("kustomization.yaml"))
                  .toList());
      assertThat(listed)
          .as(
              "every manifest in deploy/k8s, generated SLO rules included, is applied by the "
                  + "kustomization")
          .containsAll(manifests);
    }
  }

  @Test
  void everyResourceHasTheApiVersionOfItsKindAndAValidName() {
    assertThat(byKind.keySet()).containsExactlyInAnyOrderElementsOf(API_VERSIONS.keySet());
    byKind.forEach(
        (kind, document) -> {
          assertThat(document.path("apiVersion").asText())
              .as("apiVersion of %s", kind)
              .isEqualTo(API_VERSIONS.get(kind));
          assertThat(document.at("/metadata/name").asText())
              .as("metadata.name of %s", kind)
              .matches(DNS_1123);
        });
  }

  @Test
  void configMapValuesAreStrings() {
    JsonNode data = byKind.get("ConfigMap").path("data");
    assertThat(data.path("DB_POOL_SIZE").asText()).isEqualTo("10");
    data.properties()
        .forEach(
            entry ->
                assertThat(entry.getValue().isTextual())
                    .as("ConfigMap value %s must be a string (quote numbers)", entry.getKey())
                    .isTrue());
  }

  @Test
  void deploymentIsScrapableProbedBoundedAndConfiguredFromTheConfigMap() {
    JsonNode deployment = byKind.get("Deployment");
    JsonNode template = deployment.at("/spec/template");
    assertThat(subset(deployment.at("/spec/selector/matchLabels"), template.at("/metadata/labels")))
        .as("the Deployment's selector matches its pod labels")
        .isTrue();

    JsonNode annotations = template.at("/metadata/annotations");
    assertThat(annotations.path("prometheus.io/scrape").textValue()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/path").textValue()).isEqualTo("/metrics");

    JsonNode container = template.at("/spec/containers/0");
    assertThat(container.path("image").asText())
        .as("image pinned to a tag")
        .matches("[^:]+:[^:]+")
        .doesNotEndWith(":latest");
    JsonNode port = container.at("/ports/0");
    assertThat(annotations.path("prometheus.io/port").textValue())
        .isEqualTo(port.path("containerPort").asText());
    String portName = port.path("name").asText();
    assertThat(probe(container, "livenessProbe")).isEqualTo("/healthz@" + portName);
    assertThat(probe(container, "readinessProbe")).isEqualTo("/readyz@" + portName);

    JsonNode resources = container.path("resources");
    assertThat(resources.at("/requests/cpu").asText()).matches(CPU);
    assertThat(resources.at("/requests/memory").asText()).matches(MEMORY);
    assertThat(resources.at("/limits/memory").asText()).matches(MEMORY);

    JsonNode configMap = byKind.get("ConfigMap");
    Map<String, JsonNode> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env.get("DB_POOL_SIZE").at("/valueFrom/configMapKeyRef/name").asText())
        .isEqualTo(configMap.at("/metadata/name").asText());
    assertThat(env.get("VIGIL_HOST").path("value").asText())
        .as("listen on the pod IP, not loopback")
        .isEqualTo("0.0.0.0");
    env.values().stream()
        .map(e -> e.at("/valueFrom/configMapKeyRef"))
        .filter(JsonNode::isObject)
        .forEach(
            ref -> {
              assertThat(ref.path("name").asText())
                  .isEqualTo(configMap.at("/metadata/name").asText());
              assertThat(configMap.path("data").has(ref.path("key").asText()))
                  .as(
                      "ConfigMap key %s referenced by the Deployment exists",
                      ref.path("key").asText())
                  .isTrue();
            });
  }

  @Test
  void theAdminApiListensOnThePodsLoopbackOnlyAndIsOffWithoutItsSecret() {
    JsonNode container = byKind.get("Deployment").at("/spec/template/spec/containers/0");
    Map<String, JsonNode> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env.get("VIGIL_ADMIN_BIND").path("value").asText()).isEqualTo("127.0.0.1");
    JsonNode token = env.get("VIGIL_ADMIN_TOKEN").at("/valueFrom/secretKeyRef");
    assertThat(token.path("optional").asBoolean())
        .as("no secret, no admin API; the pod still starts")
        .isTrue();
    container
        .path("ports")
        .forEach(p -> assertThat(p.path("containerPort").asInt()).isNotIn(8010, 8011));
    byKind
        .get("Service")
        .at("/spec/ports")
        .forEach(p -> assertThat(p.path("port").asInt()).isNotIn(8010, 8011));
  }

  @Test
  void serviceAndServiceMonitorReachThePods() {
    JsonNode deployment = byKind.get("Deployment");
    JsonNode service = byKind.get("Service");
    JsonNode monitor = byKind.get("ServiceMonitor");
    assertThat(
            subset(service.at("/spec/selector"), deployment.at("/spec/template/metadata/labels")))
        .as("the Service selects the catalog pods")
        .isTrue();
    assertThat(service.at("/spec/ports/0/targetPort").asText())
        .isEqualTo(deployment.at("/spec/template/spec/containers/0/ports/0/name").asText());
    assertThat(service.at("/metadata/name").asText())
        .as(
            "the operator derives label service from the Service name; rules group by service=\"catalog\"")
        .isEqualTo("catalog");

    assertThat(subset(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels")))
        .as("the ServiceMonitor selects the Service")
        .isTrue();
    assertThat(monitor.at("/spec/endpoints/0/port").asText())
        .isEqualTo(service.at("/spec/ports/0/name").asText());
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
  }

  @Test
  void probeChecksTheLivenessEndpointWithTheBlackboxModule() {
    JsonNode probe = byKind.get("Probe");
    JsonNode service = byKind.get("Service");
    String module = probe.at("/spec/module").asText();
    JsonNode blackbox =
        SourceTree.yaml(SourceTree.deploy().resolve("blackbox").resolve("blackbox.yml"));
    assertThat(blackbox.path("modules").has(module))
        .as("blackbox module %s exists in deploy/blackbox/blackbox.yml", module)
        .isTrue();
    assertThat(probe.at("/spec/jobName").asText())
        .as("job label the BlackboxProbeFailed rule selects")
        .isEqualTo("blackbox-healthz");
    assertThat(probe.at("/spec/targets/staticConfig/labels/service").asText()).isEqualTo("catalog");
    assertThat(probe.at("/spec/targets/staticConfig/static/0").asText())
        .isEqualTo(
            "http://"
                + service.at("/metadata/name").asText()
                + ".vigil.svc:"
                + service.at("/spec/ports/0/port").asText()
                + "/healthz");
  }

  @Test
  void autoscalerTargetsTheDeploymentWithSaneBounds() {
    JsonNode hpa = byKind.get("HorizontalPodAutoscaler");
    JsonNode target = hpa.at("/spec/scaleTargetRef");
    assertThat(target.path("kind").asText()).isEqualTo("Deployment");
    assertThat(target.path("name").asText())
        .isEqualTo(byKind.get("Deployment").at("/metadata/name").asText());
    int min = hpa.at("/spec/minReplicas").asInt();
    int max = hpa.at("/spec/maxReplicas").asInt();
    assertThat(min).isPositive().isLessThanOrEqualTo(max);
    assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
    assertThat(
            byKind
                .get("Deployment")
                .at("/spec/template/spec/containers/0/resources/requests/cpu")
                .isMissingNode())
        .as("CPU utilisation needs a CPU request")
        .isFalse();
  }

  private static String probe(JsonNode container, String name) {
    JsonNode get = container.path(name).path("httpGet");
    return get.path("path").asText() + "@" + get.path("port").asText();
  }

  private static boolean subset(JsonNode selector, JsonNode labels) {
    if (!selector.isObject() || selector.isEmpty()) {
      return false;
    }
    List<String> missing = new ArrayList<>();
    selector
        .properties()
        .forEach(
            e -> {
              if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                missing.add(e.getKey());
              }
            });
    return missing.isEmpty();
  }

  private List<Path> resources() throws IOException {
    try (Stream<Path> files = Files.list(k8s)) {
      return files
          .filter(
              f ->
                  f.toString().endsWith(".yaml")
                      && !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }
}
