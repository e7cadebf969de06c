package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of the vigil checkout the deploy tests read: the repository root and YAML parsing. */
final class SourceTree {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SourceTree() {}

  /**
   * The repository root: system property {@code vigil.root} (set by the parent POM's surefire
   * configuration), else the first parent of the working directory holding {@code
   * deploy/prometheus}.
   */
  static Path root() {
    String property = System.getProperty("vigil.root");
    if (property != null && Files.isDirectory(Path.of(property, "deploy", "prometheus"))) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy").resolve("prometheus"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the vigil checkout (a directory with deploy/prometheus) above "
            + Path.of("").toAbsolutePath()
            + "; run the tests from the repository with ./mvnw");
  }

  /** The {@code deploy/} directory. */
  static Path deploy() {
    return root().resolve("deploy");
  }

  /** Parses one YAML document. */
  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML file " + file, e);
    }
  }

  /** Parses every document of a multi-document YAML file (Kubernetes manifests). */
  static List<JsonNode> yamlDocuments(Path file) {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll().stream()
          .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML file " + file, e);
    }
  }

  /** Serialises a node as YAML (used to write temporary configs for the tools). */
  static String toYaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code *.yml} files directly in a directory, sorted; none when the directory does not
   * exist.
   */
  static List<Path> ymlFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.toString().endsWith(".yml") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code *.yml} files under a directory at any depth, sorted. */
  static List<Path> ymlFilesRecursively(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(f -> f.toString().endsWith(".yml") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The hand-written and the generated Prometheus rule files. */
  static List<Path> ruleFiles() {
    Path rules = deploy().resolve("prometheus").resolve("rules");
    return Stream.concat(ymlFiles(rules).stream(), ymlFiles(rules.resolve("generated")).stream())
        .toList();
  }
}
