package dev.vigil.slo.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.slo.model.Slo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads spec files in any supported format into {@link Slo}s: vigil's own {@code vigil/v1}, OpenSLO
 * {@code openslo/v1} and Sloth {@code prometheus/v1}. The format is recognised from {@code apiVersion}
 * (vigil, OpenSLO) or {@code version} (Sloth).
 */
public final class SpecReader {

  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  /**
   * What reading one or more files produced: the SLOs that could be built and every problem found.
   *
   * @param slos the SLOs, in file order
   * @param problems every problem, in file order; empty when all files are well formed
   */
  public record Result(List<Slo> slos, List<Problem> problems) {}

  /**
   * Reads every file, collecting all problems rather than stopping at the first.
   *
   * @param files spec files (YAML, possibly several documents each)
   * @return the SLOs and problems
   */
  public Result read(List<Path> files) {
    List<Slo> slos = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path file : files) {
      readFile(file, slos, problems);
    }
    return new Result(slos, problems);
  }

  private void readFile(Path file, List<Slo> slos, List<Problem> problems) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = YAML.createParser(Files.readString(file));
        MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(file, "(file)", "cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""),
          "check the path and the YAML syntax"));
      return;
    }
    if (docs.isEmpty()) {
      problems.add(new Problem(file, "(file)", "holds no YAML document", "write a vigil/v1, openslo/v1 or prometheus/v1 spec"));
      return;
    }
    JsonNode first = docs.get(0);
    String apiVersion = first.path("apiVersion").asText("");
    String version = first.path("version").asText("");
    if (apiVersion.equals("vigil/v1")) {
      for (int i = 0; i < docs.size(); i++) {
        slos.addAll(new VigilFormat().read(new SpecNode(file, docs.size() > 1 ? "[doc " + i + "]" : "", docs.get(i), problems)));
      }
    } else if (apiVersion.equals("openslo/v1")) {
      slos.addAll(new OpenSloFormat().read(file, docs, problems));
    } else if (version.equals("prometheus/v1")) {
      for (JsonNode doc : docs) {
        slos.addAll(new SlothFormat().read(new SpecNode(file, "", doc, problems)));
      }
    } else {
      String seen = !apiVersion.isEmpty() ? "apiVersion '" + apiVersion + "'" : !version.isEmpty() ? "version '" + version + "'" : "no apiVersion";
      problems.add(new Problem(file, "apiVersion", "unsupported format (" + seen + ")",
          "use apiVersion: vigil/v1 (docs/slo-spec.md), apiVersion: openslo/v1, or Sloth's version: prometheus/v1"));
    }
  }
}
