package dev.vigil.slo.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil slo generate} as a user runs it: what it writes where, and that bad specs write
 * nothing.
 */
class GenerateCommandTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));

  @Test
  void writesRulesTestsManifestAndInhibitionUnderTheOutputDirectory(@TempDir Path out)
      throws IOException {
    ValidateCommandTest.Run run =
        ValidateCommandTest.slo(
            "generate", ROOT.resolve("slos/catalog.yaml").toString(), "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    for (String file :
        List.of(
            "prometheus/rules/generated/catalog.yml",
            "prometheus/tests/generated/catalog.yml",
            "k8s/generated/catalog-prometheusrule.yml",
            "alertmanager/generated/slo-inhibit-rules.yml")) {
      assertThat(run.out()).contains("wrote " + out.resolve(file));
      assertThat(Files.readString(out.resolve(file)))
          .isEqualTo(Files.readString(ROOT.resolve("deploy").resolve(file)));
    }
  }

  @Test
  void anInvalidSpecWritesNothing(@TempDir Path out) throws IOException {
    ValidateCommandTest.Run run =
        ValidateCommandTest.slo(
            "generate",
            ROOT.resolve("slo/src/test/resources/specs/invalid.yaml").toString(),
            "--out",
            out.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("nothing written");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }
}
