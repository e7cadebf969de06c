package dev.vigil.slo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.slo.command.SloCommand;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The committed dashboards are golden files: regenerating them from slos/catalog.yaml must give the
 * same bytes, and Grafana's file provider must find them where Docker Compose mounts them.
 *
 * <p>After an intended change: {@code ./vigil slo generate slos/catalog.yaml} and commit
 * deploy/grafana/dashboards.
 */
class DashboardFilesTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");

  @Test
  void committedDashboardsAreWhatTheCatalogSpecGenerates() throws IOException {
    Map<String, String> generated = generate(ROOT.resolve("slos/catalog.yaml"));
    assertThat(generated)
        .containsOnlyKeys(
            "grafana/dashboards/catalog-slo.json",
            "grafana/dashboards/catalog-golden-signals.json",
            "grafana/dashboards/catalog-dependencies.json",
            "grafana/dashboards/catalog-saturation.json");
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path committed = DEPLOY.resolve(e.getKey());
      assertThat(committed)
          .as("%s is missing: run ./vigil slo generate slos/catalog.yaml", committed)
          .exists();
      assertThat(Files.readString(committed))
          .as(
              "deploy/%s is stale: run ./vigil slo generate slos/catalog.yaml and commit the result",
              e.getKey())
          .isEqualTo(e.getValue());
    }
    try (Stream<Path> files = Files.list(DEPLOY.resolve(DashboardGenerator.DIRECTORY))) {
      assertThat(files.map(f -> DashboardGenerator.DIRECTORY + "/" + f.getFileName()))
          .as("every dashboard in deploy/grafana/dashboards is generated: delete the others")
          .containsExactlyInAnyOrderElementsOf(generated.keySet());
    }
  }

  @Test
  void vigilSloGenerateWritesTheDashboardsBesideTheRules(@TempDir Path out) throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(stdout, true));
    cli.setErr(new PrintWriter(stderr, true));
    assertThat(
            cli.execute(
                "generate", ROOT.resolve("slos/catalog.yaml").toString(), "--out", out.toString()))
        .as(stderr.toString())
        .isZero();
    for (String file :
        List.of(
            "grafana/dashboards/catalog-slo.json",
            "grafana/dashboards/catalog-golden-signals.json",
            "grafana/dashboards/catalog-dependencies.json",
            "grafana/dashboards/catalog-saturation.json")) {
      assertThat(stdout.toString()).contains("wrote " + out.resolve(file));
      assertThat(Files.readString(out.resolve(file)))
          .isEqualTo(Files.readString(DEPLOY.resolve(file)));
    }
    assertThat(out.resolve("prometheus/rules/generated/catalog.yml")).exists();
  }

  @Test
  void generatingTwiceGivesTheSameBytes() throws IOException {
    assertThat(generate(ROOT.resolve("slos/catalog.yaml")))
        .isEqualTo(generate(ROOT.resolve("slos/catalog.yaml")));
  }

  @Test
  void grafanaProvisionsTheDirectoryComposeMountsTheDashboardsAt() throws IOException {
    JsonNode provider =
        new YAMLMapper()
            .readTree(DEPLOY.resolve("grafana/provisioning/dashboards/vigil.yaml").toFile())
            .path("providers")
            .get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("allowUiUpdates").asBoolean(true))
        .as("generated dashboards are read-only in Grafana")
        .isFalse();
    String path = provider.path("options").path("path").asText();

    JsonNode grafana =
        new YAMLMapper()
            .readTree(DEPLOY.resolve("compose.yaml").toFile())
            .path("services")
            .path("grafana");
    List<String> volumes = new ArrayList<>();
    grafana.path("volumes").forEach(v -> volumes.add(v.asText()));
    assertThat(volumes)
        .as("deploy/compose.yaml mounts the dashboards where the file provider reads them")
        .contains("./grafana/dashboards:" + path + ":ro");
    assertThat(volumes).contains("./grafana/provisioning:/etc/grafana/provisioning:ro");
  }

  private static Map<String, String> generate(Path spec) {
    SpecReader.Result read = new SpecReader().read(List.of(spec));
    assertThat(read.problems()).isEmpty();
    assertThat(new SloValidator().validate(read.slos())).isEmpty();
    return new DashboardGenerator().files(read.slos());
  }
}
