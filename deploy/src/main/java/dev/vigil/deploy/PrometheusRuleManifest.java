package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generates the Kubernetes {@code PrometheusRule} (Prometheus Operator CRD, monitoring.coreos.com/v1)
 * that carries the hand-written rule files {@code deploy/prometheus/rules/*.yml}, so the cluster runs
 * exactly the rules that promtool checks and tests locally. The groups are copied in file-name order,
 * unchanged; the output is deterministic so a test can compare it with the committed
 * {@code deploy/k8s/prometheus-rule.yaml}.
 *
 * <p>Run: {@code java -cp <deploy classes + jackson> dev.vigil.deploy.PrometheusRuleManifest [repo root]},
 * or let the deploy module's test regenerate it: {@code ./mvnw -B -q -pl deploy -am test
 * -Dtest=PrometheusRuleManifestTest -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.regenerate=true}.
 */
public final class PrometheusRuleManifest {

    /** Where the manifest lives, relative to the repository root. */
    public static final Path MANIFEST = Path.of("deploy", "k8s", "prometheus-rule.yaml");

    /** Where the hand-written rule files live, relative to the repository root. */
    public static final Path RULES = Path.of("deploy", "prometheus", "rules");

    private static final String HEADER = """
            # GENERATED from deploy/prometheus/rules/*.yml by dev.vigil.deploy.PrometheusRuleManifest.
            # Do not edit: change the rule files, then regenerate (see deploy/k8s/README.md). A test fails
            # when this file differs from the generator's output.
            """;

    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private PrometheusRuleManifest() {
    }

    /**
     * Renders the manifest for the rule files of a repository.
     *
     * @param repositoryRoot the vigil checkout (the directory holding {@code deploy/})
     * @return the YAML text of the PrometheusRule, header comment included
     * @throws UncheckedIOException when a rule file cannot be read or is not YAML
     * @throws IllegalArgumentException when a rule file has no {@code groups} list
     */
    public static String render(Path repositoryRoot) {
        ObjectNode manifest = WRITER.createObjectNode();
        manifest.put("apiVersion", "monitoring.coreos.com/v1");
        manifest.put("kind", "PrometheusRule");
        ObjectNode metadata = manifest.putObject("metadata");
        metadata.put("name", "vigil-rules");
        ObjectNode labels = metadata.putObject("labels");
        labels.put("app.kubernetes.io/part-of", "vigil");
        // kube-prometheus-stack selects PrometheusRules by the Helm release label by default.
        labels.put("release", "prometheus");
        ArrayNode groups = manifest.putObject("spec").putArray("groups");
        for (Path file : ruleFiles(repositoryRoot.resolve(RULES))) {
            JsonNode fileGroups = read(file).path("groups");
            if (!fileGroups.isArray()) {
                throw new IllegalArgumentException(file + " has no 'groups' list: a Prometheus rule file starts"
                        + " with 'groups:' (see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/)");
            }
            fileGroups.forEach(groups::add);
        }
        try {
            return HEADER + WRITER.writeValueAsString(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the manifest of a repository to {@link #MANIFEST}.
     *
     * @param args optional repository root (default: the working directory)
     * @throws IOException when the manifest cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path target = root.resolve(MANIFEST);
        Files.writeString(target, render(root), StandardCharsets.UTF_8);
        System.out.println("wrote " + target);
    }

    /** The {@code *.yml} files directly in a directory, sorted by name (sub-directories excluded). */
    static List<Path> ruleFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yml") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list rule files in " + directory, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return READER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + file, e);
        }
    }
}
