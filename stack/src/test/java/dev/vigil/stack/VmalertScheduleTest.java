package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vmalert's rule files in stages, each started on time: the phase vmalert 1.79 chooses, checked
 * against a running vmalert; the stages of the generated SLO group; the rendered ha profile.
 */
class VmalertScheduleTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;

  /**
   * The real vmalert starts each planned group where the plan says: a 12 s group of a recording and
   * an alert that reads it, in two stages, at 3 s and 7 s into each 12 s (Unix time).
   */
  @Test
  void aRunningVmalertStartsEachStageAtItsPlannedPhase() throws Exception {
    JsonNode file =
        YAML.readTree(
            """
            groups:
              - name: staged
                interval: 12s
                rules:
                  - record: job:a:sum
                    expr: vector(1)
                  - alert: AHigh
                    expr: job:a:sum > 0
            """);
    List<VmalertSchedule.RuleFile> plan = VmalertSchedule.plan(dir, "t", file, 15);
    assertThat(plan).extracting(VmalertSchedule.RuleFile::targetPhase).containsExactly(3.0, 7.0);
    Map<String, Double> target = new HashMap<>();
    for (VmalertSchedule.RuleFile f : plan) {
      Files.writeString(dir.resolve(f.name()), YAML.writeValueAsString(f.content()));
      target.put(dir.resolve(f.name()).toString(), f.targetPhase());
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // nothing answers on port 1: the evaluations fail, and happen on schedule all the same
    Process vmalert =
        new ProcessBuilder(
                PrometheusTool.VMALERT.require().toString(),
                "-httpListenAddr=127.0.0.1:" + port,
                "-rule=" + dir.resolve("*.yml"),
                "-datasource.url=http://127.0.0.1:1",
                "-remoteWrite.url=http://127.0.0.1:1",
                "-notifier.url=http://127.0.0.1:1")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("vmalert.log").toFile())
            .start();
    try {
      Map<String, Instant> evaluated = new HashMap<>();
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 300 && evaluated.size() < 2; i++) {
        Thread.sleep(100);
        try {
          String body =
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/api/v1/rules"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          for (JsonNode g : new ObjectMapper().readTree(body).path("data").path("groups")) {
            Instant last = Instant.parse(g.path("lastEvaluation").asText());
            if (last.getEpochSecond() > 0) {
              evaluated.put(g.path("file").asText(), last);
            }
          }
        } catch (IOException notYet) {
          // vmalert is still starting
        }
      }
      assertThat(evaluated).as(Files.readString(dir.resolve("vmalert.log"))).hasSize(2);
      for (Map.Entry<String, Instant> e : evaluated.entrySet()) {
        double phase = (e.getValue().toEpochMilli() % 12_000) / 1000.0;
        // the plan places the phase within TOLERANCE; vmalert starts up to a few ms after it
        assertThat(phase)
            .as("%s evaluated at %s", e.getKey(), e.getValue())
            .isBetween(
                target.get(e.getKey()) - VmalertSchedule.TOLERANCE,
                target.get(e.getKey()) + VmalertSchedule.TOLERANCE + 0.2);
      }
    } finally {
      vmalert.destroy();
      vmalert.waitFor();
    }
  }

  /**
   * The generated availability SLO group: the minute counts first, then the windows, the burn-rate
   * alerts and the period ratio that read them, then what reads those; every rule once, each after
   * every recording of its group that it reads.
   */
  @Test
  void theSloGroupsStagesFollowWhatEachRuleReads() throws Exception {
    JsonNode group =
        YAML.readTree(ROOT.resolve("deploy/prometheus/rules/generated/catalog.yml").toFile())
            .path("groups")
            .get(0);
    assertThat(group.path("name").asText()).isEqualTo("slo-catalog-availability");
    List<List<JsonNode>> stages = VmalertSchedule.stages(group.path("rules"));

    assertThat(names(stages.get(0)))
        .containsExactly(
            "slo:sli_bad:increase1m",
            "slo:sli_total:increase1m",
            "slo:objective:ratio",
            "slo:error_budget:ratio",
            "slo:period:seconds");
    assertThat(names(stages.get(1))).contains("slo:sli_error:ratio_rate5m", "SloBurnRatePage");
    assertThat(names(stages.get(2)))
        .contains("slo:error_budget_remaining:ratio", "SloErrorBudgetExhausted", "SloSliAbsent");
    assertThat(stages).hasSize(3);
    assertThat(stages.stream().mapToInt(List::size).sum()).isEqualTo(group.path("rules").size());

    Map<String, Integer> stageOf = new HashMap<>();
    for (int s = 0; s < stages.size(); s++) {
      for (JsonNode r : stages.get(s)) {
        if (r.has("record")) {
          stageOf.put(r.get("record").asText(), s);
        }
      }
    }
    for (int s = 0; s < stages.size(); s++) {
      for (JsonNode r : stages.get(s)) {
        for (Map.Entry<String, Integer> e : stageOf.entrySet()) {
          if (r.path("expr").asText().contains(e.getKey() + "{")) {
            assertThat(e.getValue()).as("%s reads %s", name(r), e.getKey()).isLessThan(s);
          }
        }
      }
    }
  }

  /**
   * The ha profile's vmalert files: every rule of every rendered group once, in the files the plan
   * names, each starting at its target on the absolute path vmalert reads; the first stage at
   * {@link VmalertSchedule#LEAD}, the stages at least {@link VmalertSchedule#MIN_HOP} apart and all
   * within the interval.
   */
  @Test
  void theHaProfilesRuleFilesHoldEveryRuleAndStartOnTime() throws Exception {
    ConfigRenderer renderer =
        new ConfigRenderer(
            ROOT.resolve("deploy"), StackProfile.ha(), new StackLayout(dir).configDir());
    renderer.renderPrometheus();
    renderer.renderAlertmanager();
    renderer.renderHa();
    Path target = renderer.vmalertRules().toAbsolutePath();

    Map<String, Integer> source = new HashMap<>();
    List<VmalertSchedule.RuleFile> planned = new ArrayList<>();
    Path rules = renderer.prometheusConfig().getParent().resolve("rules");
    try (Stream<Path> files = Files.walk(rules)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        JsonNode content = YAML.readTree(f.toFile());
        for (JsonNode g : content.path("groups")) {
          source.merge(g.path("name").asText(), g.path("rules").size(), Integer::sum);
        }
        String stem = rules.relativize(f).toString().replace(".yml", "").replace('/', '-');
        planned.addAll(VmalertSchedule.plan(target, stem, content, 15));
      }
    }
    Map<String, Integer> staged = new HashMap<>();
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactlyElementsOf(
              planned.stream().map(VmalertSchedule.RuleFile::name).sorted().toList());
    }
    Map<String, Double> lastTarget = new HashMap<>();
    for (VmalertSchedule.RuleFile f : planned) {
      JsonNode groups = YAML.readTree(target.resolve(f.name()).toFile()).path("groups");
      assertThat(groups).hasSize(1);
      JsonNode g = groups.get(0);
      staged.merge(g.path("name").asText(), g.path("rules").size(), Integer::sum);
      double interval =
          g.has("interval") ? PromDuration.parse(g.get("interval").asText()).seconds() : 15;
      double phase =
          VmalertSchedule.phaseSeconds(target.resolve(f.name()).toString(), f.group(), interval);
      assertThat(phase)
          .as("%s (%s, stage %d)", f.name(), f.group(), f.stage())
          .isCloseTo(f.targetPhase(), Offset.offset(VmalertSchedule.TOLERANCE))
          .isLessThan(interval);
      if (f.stage() == 0) {
        assertThat(f.targetPhase()).isEqualTo(VmalertSchedule.LEAD);
      } else {
        assertThat(f.targetPhase() - lastTarget.get(f.group()))
            .isGreaterThanOrEqualTo(VmalertSchedule.MIN_HOP);
      }
      lastTarget.put(f.group(), f.targetPhase());
    }
    assertThat(staged).isEqualTo(source);
    assertThat(planned)
        .filteredOn(f -> f.group().equals("slo-catalog-availability"))
        .extracting(VmalertSchedule.RuleFile::targetPhase)
        .containsExactly(3.0, 7.0, 11.0);
  }

  private static List<String> names(List<JsonNode> rules) {
    return rules.stream().map(VmalertScheduleTest::name).toList();
  }

  private static String name(JsonNode rule) {
    return rule.has("record") ? rule.get("record").asText() : rule.get("alert").asText();
  }
}
