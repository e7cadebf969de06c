package dev.vigil.slo.generate;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One {@code promtool test rules} run of the rules generated for some SLOs, for tests. */
public final class PromtoolRuleTest {

  private PromtoolRuleTest() {}

  /**
   * Writes the SLOs' generated rule groups and one promtool test (evaluated every minute) into a
   * directory and runs {@code promtool test rules} there.
   *
   * @param dir an existing directory for the two files
   * @param slos the SLOs whose generated rules are tested
   * @param test one promtool test: {@code interval}, {@code input_series}, checks
   * @return promtool's exit code and output
   * @throws Exception when the files cannot be written or promtool cannot run
   */
  public static PrometheusTool.Result run(Path dir, List<Slo> slos, Map<String, Object> test)
      throws Exception {
    return run(dir, slos, test, "1m");
  }

  /**
   * As {@link #run(Path, List, Map)}, with the test file's own evaluation interval (the SLO groups
   * keep their {@code interval: 1m}).
   *
   * @param evaluationInterval e.g. {@code 15s}
   */
  public static PrometheusTool.Result run(
      Path dir, List<Slo> slos, Map<String, Object> test, String evaluationInterval)
      throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    Path rules =
        Files.writeString(
            dir.resolve("rules.yml"),
            yaml.writeValueAsString(Map.of("groups", new RuleFileGenerator().groups(slos))));
    Path file =
        Files.writeString(
            dir.resolve("test.yml"),
            yaml.writeValueAsString(
                Map.of(
                    "rule_files",
                    List.of(rules.toString()),
                    "evaluation_interval",
                    evaluationInterval,
                    "tests",
                    List.of(test))));
    return PrometheusTool.PROMTOOL.run(dir, "test", "rules", file.toString());
  }
}
