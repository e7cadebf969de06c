package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.prometheus.PrometheusTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ha topology as planned and rendered, without starting it: every replica on its own loopback
 * port, the configs accepted by the programs that read them (vmagent and VictoriaMetrics with their
 * strict scrape-config parsers, {@code haproxy -c}).
 */
class HaTopologyTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path state;

  private final StackProfile profile = StackProfile.haTest();

  private ConfigRenderer render() {
    ConfigRenderer renderer =
        new ConfigRenderer(DEPLOY, profile, new StackLayout(state).configDir());
    renderer.renderPrometheus();
    renderer.renderAlertmanager();
    renderer.renderHa();
    return renderer;
  }

  private Map<String, Launch> plan(ConfigRenderer renderer) {
    ServiceCommands commands =
        new ServiceCommands(
            List.of("java", "-jar", "vigil.jar", "catalog"),
            List.of("java", "-jar", "vigil.jar", "payments"),
            List.of("java", "-jar", "vigil.jar", "receiver"),
            List.of());
    LaunchPlan.Launches launches =
        new LaunchPlan(profile, new StackLayout(state), renderer, commands).launches();
    assertThat(launches.missing())
        .as("programs of the ha topology not on PATH (./vigil test installs them)")
        .isEmpty();
    return launches.launches().stream().collect(Collectors.toMap(Launch::id, Function.identity()));
  }

  @Test
  void everyReplicaIsPlannedOnItsOwnLoopbackPortAndNoPrometheusRuns() {
    Map<String, Launch> launches = plan(render());

    assertThat(launches.keySet())
        .contains(
            "postgres",
            "victoria-metrics",
            "catalog-1",
            "catalog-2",
            "haproxy",
            "alertmanager-1",
            "alertmanager-2",
            "vmagent-1",
            "vmagent-2",
            "vmalert-1",
            "vmalert-2",
            "payments")
        .doesNotContain("prometheus", "catalog", "alertmanager");
    Set<Integer> ports = new HashSet<>();
    for (Launch l : launches.values()) {
      assertThat(l.readiness().getHost()).as(l.id()).isEqualTo("127.0.0.1");
      assertThat(ports.add(l.readiness().getPort())).as("%s shares its port", l.id()).isTrue();
    }
    assertThat(launches.get("haproxy").readiness().getPort()).isEqualTo(profile.ports().catalog());
    assertThat(launches.get("catalog-2").environment())
        .containsEntry("VIGIL_PORT", Integer.toString(profile.ports().more("catalog-2")))
        .containsEntry(
            "VIGIL_ADMIN_PORT", Integer.toString(profile.ports().more("catalog-admin-2")))
        .containsEntry(
            "VIGIL_DB_URL",
            "jdbc:postgresql://127.0.0.1:" + profile.ports().more("postgres") + "/postgres");
  }

  @Test
  void scrapersShareTheTargetsAndEvaluatorsNotifyEveryClusteredAlertmanager() {
    Map<String, Launch> launches = plan(render());

    assertThat(launches.get("victoria-metrics").command())
        .as("recent samples visible to vmalert's next evaluation, on every profile")
        .contains("-search.latencyOffset=0s", "-dedup.minScrapeInterval=1ms");
    for (int n = 1; n <= 2; n++) {
      assertThat(launches.get("vmagent-" + n).command())
          .contains(
              "-promscrape.cluster.membersCount=2", "-promscrape.cluster.memberNum=" + (n - 1))
          .contains(
              "-remoteWrite.url=http://127.0.0.1:"
                  + profile.ports().prometheus()
                  + "/api/v1/write");
      assertThat(launches.get("vmalert-" + n).command())
          .contains(
              "-notifier.url=http://127.0.0.1:" + profile.ports().alertmanager(),
              "-notifier.url=http://127.0.0.1:" + profile.ports().more("alertmanager-2"),
              "-datasource.url=http://127.0.0.1:" + profile.ports().prometheus(),
              "-remoteWrite.url=http://127.0.0.1:" + profile.ports().prometheus(),
              "-remoteWrite.flushInterval=1s",
              "-evaluationInterval=1s");
      int other = 3 - n;
      assertThat(launches.get("alertmanager-" + n).command())
          .contains(
              "--cluster.listen-address=127.0.0.1:"
                  + profile.ports().more("alertmanager-cluster-" + n),
              "--cluster.peer=127.0.0.1:" + profile.ports().more("alertmanager-cluster-" + other));
    }
  }

  @Test
  void vmagentVictoriaMetricsAndHaproxyAcceptTheRenderedConfigs() throws Exception {
    ConfigRenderer renderer = render();

    PrometheusTool.Result vmagent =
        PrometheusTool.VMAGENT.run(
            state,
            "-promscrape.config=" + renderer.scrapeConfig(),
            "-promscrape.config.dryRun",
            "-loggerLevel=ERROR");
    assertThat(vmagent.exitCode()).as("vmagent said:%n%s", vmagent.output()).isZero();
    PrometheusTool.Result victoria =
        PrometheusTool.VICTORIA_METRICS.run(
            state,
            "-promscrape.config=" + renderer.victoriaMetricsScrapeConfig(),
            "-promscrape.config.dryRun",
            "-loggerLevel=ERROR");
    assertThat(victoria.exitCode()).as("victoria-metrics said:%n%s", victoria.output()).isZero();
    PrometheusTool.Result haproxy =
        new PrometheusTool(List.of("haproxy"), "haproxy")
            .run(state, "-c", "-f", renderer.haproxyConfig().toString());
    assertThat(haproxy.exitCode()).as("haproxy -c said:%n%s", haproxy.output()).isZero();

    JsonNode scrape = YAML.readTree(renderer.scrapeConfig().toFile());
    List<String> jobs = new ArrayList<>();
    scrape.path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
    assertThat(jobs).contains("catalog", "payments", "alertmanager").doesNotContain("prometheus");
    JsonNode catalog = scrape.at("/scrape_configs/0");
    assertThat(catalog.path("job_name").asText()).isEqualTo("catalog");
    List<String> targets = new ArrayList<>();
    catalog.at("/static_configs/0/targets").forEach(t -> targets.add(t.asText()));
    assertThat(targets)
        .as("each replica is scraped, not HAProxy (whose answer comes from either)")
        .containsExactly(
            "127.0.0.1:" + profile.ports().more("catalog-1"),
            "127.0.0.1:" + profile.ports().more("catalog-2"));
    assertThat(catalog.at("/static_configs/0/labels/service").asText()).isEqualTo("catalog");
  }
}
