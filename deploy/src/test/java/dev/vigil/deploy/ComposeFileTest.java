package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Structural validation of deploy/compose.yaml without a Docker engine: the services the issue
 * names, pinned images, ports on loopback only, and every mounted configuration file present in
 * deploy/ and used at the path its service reads. Not validated: that the images start with these
 * configurations (Alloy, Tempo and Loki configurations are not parsed by their own tools here).
 */
class ComposeFileTest {

  private static final Set<String> SERVICES =
      Set.of(
          "catalog",
          "postgres",
          "prometheus",
          "alertmanager",
          "grafana",
          "loki",
          "alloy",
          "tempo",
          "node-exporter",
          "blackbox-exporter",
          "payments");

  private final Path deploy = SourceTree.deploy();
  private final JsonNode compose = SourceTree.yaml(deploy.resolve("compose.yaml"));
  private final Map<String, JsonNode> services = new TreeMap<>();

  ComposeFileTest() {
    compose.path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
  }

  @Test
  void runsTheWholeStack() {
    assertThat(services.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
  }

  @Test
  void imagesArePinnedAndTheCatalogIsBuiltFromTheDockerfile() {
    services.forEach(
        (name, service) ->
            assertThat(service.path("image").asText())
                .as("image of %s has a tag other than latest", name)
                .matches("[^:]+:[^:]+")
                .doesNotEndWith(":latest"));
    JsonNode build = services.get("catalog").path("build");
    Path context = deploy.resolve(build.path("context").asText()).normalize();
    assertThat(context.resolve(build.path("dockerfile").asText()))
        .as("the catalog's Dockerfile")
        .isRegularFile();
    assertThat(context).isEqualTo(SourceTree.root());
  }

  @Test
  void portsArePublishedOnLoopbackOnly() {
    services.forEach(
        (name, service) ->
            service
                .path("ports")
                .forEach(
                    port ->
                        assertThat(port.asText()).as("port of %s", name).startsWith("127.0.0.1:")));
    assertThat(services.get("catalog").path("ports").get(0).asText())
        .isEqualTo("127.0.0.1:8000:8000");
  }

  @Test
  void anyoneCouldReachThePaymentFaultsOnAllInterfaces_nowAdminApisStayOnLoopbackUnpublished()
      throws java.io.IOException {
    for (String name : List.of("catalog", "payments")) {
      JsonNode service = services.get(name);
      assertThat(service.path("environment").path("VIGIL_ADMIN_BIND").asText())
          .as("%s binds its admin API to the container's loopback", name)
          .isEqualTo("127.0.0.1");
      service
          .path("ports")
          .forEach(
              port ->
                  assertThat(port.asText())
                      .as("%s publishes no admin port (8010, 8011)", name)
                      .doesNotContain(":8010")
                      .doesNotContain(":8011"));
    }
    String dockerfile = java.nio.file.Files.readString(deploy.resolve("Dockerfile"));
    assertThat(dockerfile).contains("VIGIL_ADMIN_BIND=127.0.0.1");
    assertThat(dockerfile.lines().filter(l -> l.startsWith("EXPOSE")))
        .as("the image exposes the service port only")
        .containsExactly("EXPOSE 8000");
  }

  @Test
  void mountedConfigurationExistsAndIsReadWhereMounted() {
    Set<String> namedVolumes = new TreeSet<>();
    compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
    services.forEach(
        (name, service) ->
            service
                .path("volumes")
                .forEach(
                    volume -> {
                      String source = volume.asText().split(":")[0];
                      if (source.startsWith("./")) {
                        assertThat(deploy.resolve(source).normalize())
                            .as("%s mounts %s from deploy/", name, source)
                            .exists();
                      } else if (!source.startsWith("/")) {
                        assertThat(namedVolumes)
                            .as("%s uses named volume %s, declared under volumes:", name, source)
                            .contains(source);
                      }
                    }));
    assertReadsMountedFile("prometheus", "./prometheus/prometheus-compose.yml", "--config.file=");
    assertReadsMountedFile("alertmanager", "./alertmanager/alertmanager.yml", "--config.file=");
    assertReadsMountedFile("blackbox-exporter", "./blackbox/blackbox.yml", "--config.file=");
    assertReadsMountedFile("tempo", "./tempo/tempo.yaml", "-config.file=");
    assertReadsMountedFile("alloy", "./alloy/config.alloy", "");
  }

  @Test
  void prometheusKeepsExemplarsAndDependenciesExist() {
    assertThat(texts(services.get("prometheus").path("command")))
        .contains("--enable-feature=exemplar-storage");
    services.forEach(
        (name, service) -> {
          JsonNode dependsOn = service.path("depends_on");
          List<String> dependencies = new ArrayList<>();
          if (dependsOn.isArray()) {
            dependsOn.forEach(d -> dependencies.add(d.asText()));
          } else {
            dependsOn.fieldNames().forEachRemaining(dependencies::add);
          }
          assertThat(services.keySet())
              .as("%s depends on existing services", name)
              .containsAll(dependencies);
        });
    assertThat(services.get("catalog").at("/environment/OTEL_EXPORTER_OTLP_ENDPOINT").asText())
        .isEqualTo("http://tempo:4318");
  }

  private void assertReadsMountedFile(String serviceName, String source, String flag) {
    JsonNode service = services.get(serviceName);
    String target = null;
    for (JsonNode volume : service.path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[0].equals(source)) {
        target = parts[1];
      }
    }
    assertThat(target).as("%s mounts %s", serviceName, source).isNotNull();
    assertThat(texts(service.path("command")))
        .as("%s reads the mounted %s", serviceName, source)
        .contains(flag + target);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
