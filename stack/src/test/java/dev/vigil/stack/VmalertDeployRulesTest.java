package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/vmalert/rules/, what compose-ha and k8s-ha's vmalerts read at {@link
 * VmalertSchedule#DEPLOY_MOUNT}: deploy/prometheus/rules/ in stages, each file named to start on
 * time there, as {@code ./vigil up --profile ha} renders them for its own vmalerts. A golden
 * directory: after a change to the rules, {@code ./vigil regenerate} runs this test with {@code
 * -Dvigil.regenerate=true}, which writes the files and stops (reported as aborted, never passed).
 */
class VmalertDeployRulesTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", "..")).normalize();
  private static final Path COMMITTED = ROOT.resolve("deploy/vmalert/rules");

  @Test
  void committedVmalertRulesAreTheStagedDeployRules() throws IOException {
    Map<String, String> expected =
        VmalertSchedule.render(
            ROOT.resolve("deploy/prometheus/rules"),
            VmalertSchedule.DEPLOY_MOUNT,
            15,
            "deploy/prometheus/rules/",
            "./vigil regenerate");
    if (Boolean.getBoolean("vigil.regenerate")) {
      if (Files.isDirectory(COMMITTED)) {
        try (Stream<Path> old = Files.list(COMMITTED)) {
          for (Path f : old.toList()) {
            Files.delete(f);
          }
        }
      }
      Files.createDirectories(COMMITTED);
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Files.writeString(COMMITTED.resolve(e.getKey()), e.getValue());
      }
      Assumptions.abort(
          "wrote " + expected.size() + " files to " + COMMITTED + "; run again to compare");
    }
    Map<String, String> committed = new TreeMap<>();
    try (Stream<Path> files = Files.list(COMMITTED)) {
      for (Path f : files.toList()) {
        committed.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    assertThat(committed)
        .as("deploy/vmalert/rules/ is stale: run ./vigil regenerate and commit")
        .isEqualTo(new TreeMap<>(expected));
    // compose-ha's and k8s-ha's vmalerts read exactly these, where their phases hold
    String compose = Files.readString(ROOT.resolve("deploy/compose-ha.yaml"));
    assertThat(compose)
        .contains("./vmalert/rules:" + VmalertSchedule.DEPLOY_MOUNT + ":ro")
        .contains("-rule=" + VmalertSchedule.DEPLOY_MOUNT + "/*.yml")
        .doesNotContain("./prometheus/rules:/etc/vmalert");
    assertThat(Files.readString(ROOT.resolve("deploy/k8s-ha/vmalert.yaml")))
        .contains("mountPath: " + VmalertSchedule.DEPLOY_MOUNT)
        .contains("-rule=" + VmalertSchedule.DEPLOY_MOUNT + "/*.yml");
    assertThat(Files.readString(ROOT.resolve("deploy/k8s-ha/README.md")))
        .contains("--from-file=deploy/vmalert/rules/");
  }
}
