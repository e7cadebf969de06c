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
 * {@code openslo/v1} and Sloth {@code prometheus/v1}. The format is recognised from {@code
 * apiVersion} (vigil, OpenSLO) or {@code version} (Sloth).
 */
public final class SpecReader {

  /** Duplicate keys are refused (Jackson's own detection), never resolved last-wins. */
  private static final YAMLMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(
              com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * The largest spec file read, in bytes: specs are a few kilobytes; anything larger is a mistake.
   */
  public static final long MAX_BYTES = 1_000_000;

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
    String text;
    try {
      if (!Files.exists(file)) {
        problems.add(
            new Problem(
                file,
                "(file)",
                "file not found",
                "check the path; directories are searched for *.yaml and *.yml"));
        return;
      }
      if (Files.size(file) > MAX_BYTES) {
        problems.add(
            new Problem(
                file,
                "(file)",
                "is "
                    + Files.size(file)
                    + " bytes, more than the "
                    + MAX_BYTES
                    + " a spec may have",
                "split the SLOs over several files"));
        return;
      }
      text = Files.readString(file);
    } catch (java.nio.charset.CharacterCodingException e) {
      problems.add(new Problem(file, "(file)", "is not UTF-8 text", "save the file as UTF-8"));
      return;
    } catch (IOException e) {
      problems.add(
          new Problem(
              file,
              "(file)",
              "cannot be read: " + e.getMessage(),
              "check the path and its permissions"));
      return;
    }
    try (JsonParser parser = YAML.createParser(text);
        MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add(
          new Problem(
              file,
              "(file)",
              yamlError(e),
              "fix the YAML at that line (indentation, quotes, one key per line)"));
      return;
    }
    if (docs.isEmpty()) {
      problems.add(
          new Problem(
              file,
              "(file)",
              "holds no YAML document",
              "write a vigil/v1, openslo/v1 or prometheus/v1 spec"));
      return;
    }
    if (docs.size() == 1 && docs.get(0).isArray()) {
      // a YAML list of documents (kubectl style) instead of documents separated by ---
      List<JsonNode> items = new ArrayList<>();
      docs.get(0).forEach(items::add);
      docs = items;
      if (docs.isEmpty()) {
        problems.add(
            new Problem(
                file,
                "(file)",
                "holds an empty list",
                "write a vigil/v1, openslo/v1 or prometheus/v1 spec"));
        return;
      }
    }
    JsonNode first = docs.get(0);
    String apiVersion = first.path("apiVersion").asText("");
    String version = first.path("version").asText("");
    if (apiVersion.equals("vigil/v1")) {
      for (int i = 0; i < docs.size(); i++) {
        slos.addAll(
            new VigilFormat()
                .read(
                    new SpecNode(
                        file, docs.size() > 1 ? "[doc " + i + "]" : "", docs.get(i), problems)));
      }
    } else if (apiVersion.equals("openslo/v1")) {
      slos.addAll(new OpenSloFormat().read(file, docs, problems));
    } else if (version.equals("prometheus/v1")) {
      for (JsonNode doc : docs) {
        slos.addAll(new SlothFormat().read(new SpecNode(file, "", doc, problems)));
      }
    } else {
      String seen =
          !apiVersion.isEmpty()
              ? "apiVersion '" + apiVersion + "'"
              : !version.isEmpty() ? "version '" + version + "'" : "no apiVersion";
      problems.add(
          new Problem(
              file,
              "apiVersion",
              "unsupported format (" + seen + ")",
              "use apiVersion: vigil/v1 (docs/slo-spec.md), apiVersion: openslo/v1, or Sloth's version: prometheus/v1"));
    }
  }

  /**
   * @param e what the YAML parser threw
   * @return its first line with the position, e.g. {@code duplicate key 'objective' at line 6,
   *     column 5}
   */
  private static String yamlError(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String position = "";
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      message = j.getOriginalMessage();
      if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
        position =
            " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
      }
    }
    String first = message.lines().findFirst().orElse("").strip();
    java.util.regex.Matcher dup =
        java.util.regex.Pattern.compile("Duplicate (?:field|Object property) '([^']*)'")
            .matcher(first);
    if (dup.find()) {
      first =
          "duplicate key '"
              + dup.group(1)
              + "' (YAML keys are unique; the second would silently win)";
    }
    return "is not valid YAML: " + first + position;
  }
}
