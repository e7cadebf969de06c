package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule file (hand-written and generated) passes {@code promtool check rules}, and every
 * unit-test file under deploy/prometheus/tests/ (at any depth, generated/ included) passes {@code
 * promtool test rules}.
 */
class PrometheusRulesTest {

  private final PrometheusTool promtool = PrometheusTool.PROMTOOL;

  @Test
  void everyRuleFilePassesPromtoolCheck() throws IOException {
    List<Path> files = SourceTree.ruleFiles();
    assertThat(files).as("rule files under deploy/prometheus/rules").isNotEmpty();
    Path root = SourceTree.root();
    String[] arguments =
        Stream.concat(
                Stream.of("check", "rules"), files.stream().map(f -> root.relativize(f).toString()))
            .toArray(String[]::new);
    PrometheusTool.Result result = promtool.run(root, arguments);
    assertThat(result.succeeded()).as("promtool check rules said:%n%s", result.output()).isTrue();
  }

  @TestFactory
  Stream<DynamicTest> everyUnitTestFilePassesPromtoolTest() {
    Path tests = SourceTree.deploy().resolve("prometheus").resolve("tests");
    List<Path> files = SourceTree.ymlFilesRecursively(tests);
    assertThat(files).as("promtool unit-test files under %s", tests).isNotEmpty();
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    tests.relativize(file).toString(),
                    () -> {
                      PrometheusTool.Result result =
                          promtool.run(
                              file.getParent(), "test", "rules", file.getFileName().toString());
                      assertThat(result.succeeded())
                          .as("promtool test rules %s said:%n%s", file, result.output())
                          .isTrue();
                    }));
  }
}
