package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.spec.SpecReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every generated artefact is a golden file: the catalog's under deploy/ (what `./vigil up` loads),
 * the OpenSLO and Sloth examples' under src/test/resources/golden/. Then promtool checks every rule
 * file and runs the examples' generated unit tests (deploy's {@code PrometheusRulesTest} runs the
 * catalog's, with every other unit-test file under deploy/).
 *
 * <p>After an intended change, regenerate everything with {@code ./vigil regenerate}: it runs
 * {@code vigil slo generate slos/catalog.yaml} for deploy/ and this test with {@code
 * -Dvigil.regenerate=true} for the examples. With that switch the examples' test only writes the
 * golden files and stops (reported as aborted, never as passed); the next run without it compares.
 */
class GeneratedArtefactsTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final Path GOLDEN = ROOT.resolve("slo/src/test/resources/golden");
  private static final List<String> EXAMPLES =
      List.of("openslo-checkout.yaml", "openslo-search-calendar.yaml", "sloth-myservice.yaml");

  @Test
  void committedCatalogRulesMatchWhatTheSpecGenerates() throws IOException {
    SloCompiler.Output out = compile(List.of(ROOT.resolve("slos/catalog.yaml")));
    for (Map.Entry<String, String> e : out.files().entrySet()) {
      Path committed = ROOT.resolve("deploy").resolve(e.getKey());
      assertThat(Files.exists(committed))
          .as("%s is missing: run ./vigil regenerate", committed)
          .isTrue();
      assertThat(Files.readString(committed))
          .as("deploy/%s is stale: run ./vigil regenerate and commit the result", e.getKey())
          .isEqualTo(e.getValue());
    }
    // every catalog SLO has generated scenario tests, the uptime SLO probe histories; once the
    // uptime SLO had none ("timeslice SLIs have no generated scenarios yet")
    assertThat(out.notes()).isEmpty();
  }

  @Test
  void openSloAndSlothExamplesCompileToTheirGoldenFiles() throws IOException {
    List<Path> specs =
        EXAMPLES.stream()
            .map(n -> ROOT.resolve("slo/src/test/resources/specs").resolve(n))
            .toList();
    SloCompiler.Output out = compile(specs);
    if (Boolean.getBoolean("vigil.regenerate")) {
      for (Map.Entry<String, String> e : out.files().entrySet()) {
        Path golden = GOLDEN.resolve(e.getKey());
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, e.getValue());
      }
      Assumptions.abort(
          "wrote "
              + out.files().size()
              + " golden files under "
              + GOLDEN
              + "; nothing compared: run the tests again without -Dvigil.regenerate");
    }
    for (Map.Entry<String, String> e : out.files().entrySet()) {
      Path golden = GOLDEN.resolve(e.getKey());
      assertThat(Files.exists(golden))
          .as("golden file %s is missing: run ./vigil regenerate", golden)
          .isTrue();
      assertThat(Files.readString(golden))
          .as(
              "golden file %s differs from the generated output (after an intended change: ./vigil regenerate)",
              golden)
          .isEqualTo(e.getValue());
    }
    assertThat(out.notes()).isEmpty();
  }

  @Test
  void promtoolAcceptsEveryRuleFileAndEveryGeneratedTestPasses() throws Exception {
    Path promtool =
        PrometheusTool.PROMTOOL
            .find()
            .orElseGet(
                () ->
                    fail(
                        "promtool is not on PATH: install Prometheus' promtool (Debian: apt-get install prometheus) or run ./vigil test"));
    List<Path> rules = new ArrayList<>();
    List<Path> tests = new ArrayList<>();
    for (Path dir : List.of(ROOT.resolve("deploy"), GOLDEN)) {
      rules.addAll(yamlIn(dir.resolve("prometheus/rules/generated")));
    }
    // The catalog's generated tests under deploy/ (the largest file, about a minute of promtool)
    // are run by deploy's PrometheusRulesTest with every other test file there; here only the
    // examples' golden tests, which nothing else runs.
    tests.addAll(yamlIn(GOLDEN.resolve("prometheus/tests/generated")));
    assertThat(rules).hasSize(EXAMPLES.size() + 1);
    assertThat(tests).hasSize(EXAMPLES.size());
    List<String> check = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
    rules.forEach(r -> check.add(r.toString()));
    assertThat(run(check).waitFor()).as("promtool check rules %s", rules).isZero();
    // Each test file in its own process: the machine's cores run them side by side.
    List<Process> running = new ArrayList<>();
    for (Path t : tests) {
      running.add(run(List.of(promtool.toString(), "test", "rules", t.toString())));
    }
    for (int i = 0; i < tests.size(); i++) {
      Process p = running.get(i);
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor())
          .as("promtool test rules %s failed:%n%s", tests.get(i), output)
          .isZero();
    }
  }

  private static Process run(List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<Path> yamlIn(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static SloCompiler.Output compile(List<Path> specs) {
    SpecReader.Result read = new SpecReader().read(specs);
    assertThat(read.problems()).isEmpty();
    assertThat(new dev.vigil.slo.validate.SloValidator().validate(read.slos())).isEmpty();
    return new SloCompiler().compile(read.slos());
  }
}
