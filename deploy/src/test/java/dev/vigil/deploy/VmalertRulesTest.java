package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule set, two engines: every rule file (hand-written and generated) that promtool accepts
 * ({@link PrometheusRulesTest}) is also accepted by VictoriaMetrics' {@code vmalert -dryRun}, the
 * evaluator of the HA topology (docs/scaling.md), so the same files run on either engine. A control
 * proves the check bites: the same files with one expression broken are refused, naming the rule.
 */
class VmalertRulesTest {

  private final PrometheusTool vmalert = PrometheusTool.VMALERT;

  @Test
  void everyRuleFileIsAcceptedByVmalert() throws Exception {
    List<Path> files = SourceTree.ruleFiles();
    assertThat(files).as("rule files under deploy/prometheus/rules").isNotEmpty();

    PrometheusTool.Result result = dryRun(files);

    assertThat(result.succeeded()).as("vmalert -dryRun said:%n%s", result.output()).isTrue();
    assertThat(result.output()).doesNotContain("error").doesNotContain("fatal");
  }

  /** compose-ha's and k8s-ha's vmalerts read the staged copy (deploy/vmalert/rules/) instead. */
  @Test
  void theStagedCopyForComposeAndKubernetesIsAcceptedByVmalert() throws Exception {
    List<Path> files;
    try (java.util.stream.Stream<Path> staged =
        java.nio.file.Files.list(SourceTree.root().resolve("deploy/vmalert/rules"))) {
      files = staged.sorted().toList();
    }
    assertThat(files).as("files under deploy/vmalert/rules").isNotEmpty();

    PrometheusTool.Result result = dryRun(files);

    assertThat(result.succeeded()).as("vmalert -dryRun said:%n%s", result.output()).isTrue();
    assertThat(result.output()).doesNotContain("error").doesNotContain("fatal");
  }

  @Test
  void aBrokenExpressionAmongThemIsRefusedNamingItsRule(@TempDir Path work) throws Exception {
    List<Path> files = new ArrayList<>(SourceTree.ruleFiles());
    Path http = files.stream().filter(f -> f.endsWith("http.yml")).findFirst().orElseThrow();
    String rules = Files.readString(http);
    assertThat(rules).contains("alert: HighErrorRate");
    // the first expression after HighErrorRate loses its closing parenthesis
    int alert = rules.indexOf("alert: HighErrorRate");
    int expr = rules.indexOf("expr:", alert);
    int close = rules.indexOf(')', expr);
    Path broken =
        Files.writeString(
            work.resolve("http.yml"), rules.substring(0, close) + rules.substring(close + 1));
    files.set(files.indexOf(http), broken);

    PrometheusTool.Result result = dryRun(files);

    assertThat(result.succeeded()).as("vmalert -dryRun said:%n%s", result.output()).isFalse();
    assertThat(result.output()).contains("HighErrorRate");
  }

  private PrometheusTool.Result dryRun(List<Path> files) throws Exception {
    List<String> arguments = new ArrayList<>(List.of("-dryRun", "-loggerLevel=ERROR"));
    for (Path f : files) {
      arguments.add("-rule=" + f.toAbsolutePath());
    }
    return vmalert.run(SourceTree.root(), arguments.toArray(String[]::new));
  }
}
