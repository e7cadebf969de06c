package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.prometheus.PrometheusTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/compose-ha.yaml over deploy/compose.yaml, validated without a Docker engine as
 * ComposeFileTest validates compose.yaml: pinned images, ports on loopback and not published twice,
 * mounted files present, and the ha wiring (one vmagent member number each, every Alertmanager the
 * others' peer and notified by every vmalert, HAProxy and the shards pointed at every catalog). The
 * HAProxy and scrape configs it mounts are checked by haproxy and VictoriaMetrics' own parsers.
 */
class HaComposeFileTest {

  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+):\\d+");

  private final Path deploy = SourceTree.deploy();
  private final JsonNode base = SourceTree.yaml(deploy.resolve("compose.yaml"));
  private final JsonNode ha = SourceTree.yaml(deploy.resolve("compose-ha.yaml"));
  private final Map<String, JsonNode> services = new TreeMap<>();

  @TempDir Path work;

  HaComposeFileTest() {
    base.path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
    // compose's merge, for the keys the override sets: each key of the override replaces the base's
    ha.path("services")
        .properties()
        .forEach(
            e -> {
              JsonNode merged =
                  services.containsKey(e.getKey())
                      ? services.get(e.getKey()).deepCopy()
                      : e.getValue().has("extends")
                          ? services.get(e.getValue().at("/extends/service").asText()).deepCopy()
                          : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                              .objectNode();
              ((com.fasterxml.jackson.databind.node.ObjectNode) merged)
                  .setAll((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue());
              services.put(e.getKey(), merged);
            });
  }

  private Set<String> running() {
    Set<String> out = new TreeSet<>();
    services.forEach(
        (name, s) -> {
          if (!s.has("profiles")) {
            out.add(name);
          }
        });
    return out;
  }

  private List<String> named(String prefix) {
    return running().stream().filter(n -> n.equals(prefix) || n.matches(prefix + "-\\d+")).toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void imagesArePinnedAndPortsAreOnLoopbackOnceEach() {
    Map<String, String> publishers = new TreeMap<>();
    for (String name : running()) {
      JsonNode s = services.get(name);
      if (s.has("image")) {
        assertThat(s.path("image").asText())
            .as(name)
            .matches("[^:]+:[^:]+")
            .doesNotEndWith(":latest");
      }
      for (String port : texts(s.path("ports"))) {
        Matcher m = PORT.matcher(port);
        assertThat(m.matches()).as("%s publishes %s on loopback only", name, port).isTrue();
        String before = publishers.put(m.group(1), name);
        assertThat(before).as("port %s published by %s and %s", m.group(1), before, name).isNull();
      }
    }
    assertThat(publishers)
        .containsEntry("8000", "haproxy")
        .containsEntry("9090", "victoria-metrics");
    assertThat(running()).doesNotContain("prometheus");
  }

  @Test
  void mountedFilesExistAndEveryServiceDependedOnRuns() {
    for (String name : running()) {
      for (String volume : texts(services.get(name).path("volumes"))) {
        String source = volume.split(":")[0];
        if (source.startsWith("./")) {
          assertThat(deploy.resolve(source).normalize()).as("%s mounts %s", name, source).exists();
        }
      }
      JsonNode dependsOn = services.get(name).path("depends_on");
      List<String> dependencies = new ArrayList<>();
      if (dependsOn.isArray()) {
        dependsOn.forEach(d -> dependencies.add(d.asText()));
      } else {
        dependsOn.fieldNames().forEachRemaining(dependencies::add);
      }
      assertThat(running()).as("%s depends on running services", name).containsAll(dependencies);
    }
  }

  @Test
  void shardsAlertmanagersAndEvaluatorsAreWiredToEachOther() throws Exception {
    List<String> vmagents = named("vmagent");
    assertThat(vmagents).hasSize(2);
    Set<String> members = new TreeSet<>();
    for (String v : vmagents) {
      List<String> args = texts(services.get(v).path("command"));
      assertThat(args).contains("-promscrape.cluster.membersCount=" + vmagents.size());
      args.stream()
          .filter(a -> a.startsWith("-promscrape.cluster.memberNum="))
          .forEach(members::add);
    }
    assertThat(members).as("one member number per shard").hasSize(vmagents.size());

    List<String> alertmanagers = named("alertmanager");
    assertThat(alertmanagers).hasSize(2);
    for (String am : alertmanagers) {
      List<String> peers = new ArrayList<>();
      texts(services.get(am).path("command")).stream()
          .filter(a -> a.startsWith("--cluster.peer="))
          .forEach(a -> peers.add(a.substring("--cluster.peer=".length())));
      List<String> others =
          alertmanagers.stream().filter(o -> !o.equals(am)).map(o -> o + ":9094").toList();
      assertThat(peers)
          .as("%s peers with every other Alertmanager", am)
          .containsExactlyInAnyOrderElementsOf(others);
    }
    for (String vmalert : named("vmalert")) {
      List<String> notified = new ArrayList<>();
      texts(services.get(vmalert).path("command")).stream()
          .filter(a -> a.startsWith("-notifier.url="))
          .forEach(a -> notified.add(a.substring("-notifier.url=".length())));
      assertThat(notified)
          .as("%s notifies every Alertmanager", vmalert)
          .containsExactlyInAnyOrderElementsOf(
              alertmanagers.stream().map(a -> "http://" + a + ":9093").toList());
    }

    List<String> catalogs = named("catalog");
    assertThat(catalogs).hasSize(2);
    String haproxy = Files.readString(deploy.resolve("haproxy/haproxy-compose.cfg"));
    JsonNode scrape = SourceTree.yaml(deploy.resolve("victoria-metrics/vmagent-compose-ha.yml"));
    List<String> scraped = texts(scrape.at("/scrape_configs/0/static_configs/0/targets"));
    for (String catalog : catalogs) {
      assertThat(haproxy).contains(" " + catalog + ":8000 check");
      assertThat(scraped).contains(catalog + ":8000");
    }
  }

  @Test
  void haproxyAndVictoriaMetricsAcceptTheMountedConfigs() throws Exception {
    PrometheusTool.Result haproxy =
        new PrometheusTool(List.of("haproxy"), "haproxy")
            .run(work, "-c", "-f", deploy.resolve("haproxy/haproxy-compose.cfg").toString());
    assertThat(haproxy.exitCode()).as("haproxy -c said:%n%s", haproxy.output()).isZero();
    ScrapeConfigCheck.assertAccepted(
        PrometheusTool.VMAGENT, work, deploy.resolve("victoria-metrics/vmagent-compose-ha.yml"));
    ScrapeConfigCheck.assertAccepted(
        PrometheusTool.VICTORIA_METRICS,
        work,
        deploy.resolve("victoria-metrics/scrape-compose-ha.yml"));
  }
}
