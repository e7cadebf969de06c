package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRendererTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path out;

  @Test
  void testProfileRendersAConfigPromtoolAccepts() throws Exception {
    StackProfile profile = StackProfile.test();
    ConfigRenderer renderer = new ConfigRenderer(DEPLOY, profile, out);
    renderer.renderPrometheus();

    PrometheusTool.Result check =
        PrometheusTool.PROMTOOL.run(out, "check", "config", renderer.prometheusConfig().toString());

    assertThat(check.exitCode()).as("promtool check config said:%n%s", check.output()).isZero();
    JsonNode config = YAML.readTree(renderer.prometheusConfig().toFile());
    assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("1s");
    assertThat(config.at("/global/evaluation_interval").asText()).isEqualTo("1s");
    String text = Files.readString(renderer.prometheusConfig());
    assertThat(text)
        .contains("127.0.0.1:" + profile.ports().catalog())
        .contains("127.0.0.1:" + profile.ports().alertmanager())
        .contains("http://127.0.0.1:" + profile.ports().catalog() + "/healthz")
        .doesNotContain("127.0.0.1:8000", "127.0.0.1:9093", "127.0.0.1:9090");
  }

  @Test
  void testProfileShortensEveryForButKeepsEveryExpression() throws Exception {
    StackProfile profile = StackProfile.test();
    new ConfigRenderer(DEPLOY, profile, out).renderPrometheus();

    List<String> compared = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DEPLOY.resolve("prometheus/rules"))) {
      for (Path original : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        Path rendered =
            out.resolve("prometheus")
                .resolve(DEPLOY.resolve("prometheus").relativize(original).toString());
        JsonNode before = YAML.readTree(original.toFile());
        JsonNode after = YAML.readTree(rendered.toFile());
        for (int g = 0; g < before.path("groups").size(); g++) {
          JsonNode rulesBefore = before.path("groups").get(g).path("rules");
          JsonNode rulesAfter = after.path("groups").get(g).path("rules");
          assertThat(rulesAfter.size()).isEqualTo(rulesBefore.size());
          for (int r = 0; r < rulesBefore.size(); r++) {
            JsonNode a = rulesBefore.get(r);
            JsonNode b = rulesAfter.get(r);
            String name = a.has("alert") ? a.get("alert").asText() : a.path("record").asText();
            assertThat(b.get("expr").asText())
                .as("expression of %s in %s", name, original)
                .isEqualTo(a.get("expr").asText());
            assertThat(b.get("labels")).as("labels of %s", name).isEqualTo(a.get("labels"));
            assertThat(b.get("annotations"))
                .as("annotations of %s", name)
                .isEqualTo(a.get("annotations"));
            if (a.has("for")) {
              PromDuration declared = PromDuration.parse(a.get("for").asText());
              PromDuration shortened = PromDuration.parse(b.get("for").asText());
              assertThat(shortened)
                  .as("for of %s", name)
                  .isEqualTo(declared.shorten(profile.forDivisor(), profile.forFloorSeconds()));
              // An alert that fires at once (for: 0s, the SLO pages' default) has nothing to
              // shorten.
              if (declared.seconds() > 0) {
                assertThat(shortened).as("for of %s", name).isLessThan(declared);
              }
            }
            compared.add(name);
          }
        }
      }
    }
    assertThat(compared).contains("HighErrorRate", "ServiceDown", "Watchdog");
  }

  @Test
  void defaultProfileKeepsPortsAndTiming() throws Exception {
    ConfigRenderer renderer = new ConfigRenderer(DEPLOY, StackProfile.defaults(), out);
    renderer.renderPrometheus();
    renderer.renderAlertmanager();

    JsonNode original = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
    JsonNode rendered = YAML.readTree(renderer.prometheusConfig().toFile());
    assertThat(rendered).isEqualTo(original);
    assertThat(YAML.readTree(renderer.alertmanagerConfig().toFile()))
        .isEqualTo(YAML.readTree(DEPLOY.resolve("alertmanager/alertmanager.yml").toFile()));
  }

  @Test
  void testProfileRendersAnAlertmanagerConfigAmtoolAccepts() throws Exception {
    StackProfile profile = StackProfile.test();
    ConfigRenderer renderer = new ConfigRenderer(DEPLOY, profile, out);
    renderer.renderAlertmanager();

    PrometheusTool.Result check =
        PrometheusTool.AMTOOL.run(out, "check-config", renderer.alertmanagerConfig().toString());

    assertThat(check.exitCode()).as("amtool check-config said:%n%s", check.output()).isZero();
    JsonNode config = YAML.readTree(renderer.alertmanagerConfig().toFile());
    assertThat(config.at("/route/group_wait").asText()).isEqualTo("1s");
    assertThat(config.at("/route/group_interval").asText()).isEqualTo("1s");
    assertThat(Files.readString(renderer.alertmanagerConfig()))
        .contains("http://127.0.0.1:" + profile.ports().receiver() + "/alerts/pager")
        .doesNotContain(":9095/");
  }
}
