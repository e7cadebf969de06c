package dev.vigil.slo.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.slo.model.Slo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads spec files in any supported format into {@link Slo}s: vigil's own {@code vigil/v1}, OpenSLO
 * {@code openslo/v1} and Sloth {@code prometheus/v1}. The format is recognised from {@code
 * apiVersion} (vigil, OpenSLO) or {@code version} (Sloth). The YAML is read strictly by {@link
 * SpecYaml} (duplicate keys, alias limits, merge keys).
 */
public final class SpecReader {

  /**
   * The largest spec file read, in bytes: specs are a few kilobytes; anything larger is a mistake.
   */
  public static final long MAX_BYTES = 1_000_000;

  /**
   * What reading one or more files produced: the SLOs that could be built and every problem found.
   *
   * @param slos the SLOs, in file order
   * @param problems every problem, in file order; empty when all files are well formed
   * @param notes what the readers assumed or dropped (e.g. Sloth's implied 30d period), in file
   *     order
   * @param positions where the fields of the files stand, to give later problems (the validator's)
   *     their line and column
   */
  public record Result(
      List<Slo> slos, List<Problem> problems, List<Note> notes, SpecPositions positions) {}

  /**
   * Reads every file, collecting all problems rather than stopping at the first.
   *
   * @param files spec files (YAML, possibly several documents each)
   * @return the SLOs and problems
   */
  public Result read(List<Path> files) {
    List<Slo> slos = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<Note> notes = new ArrayList<>();
    SpecPositions positions = new SpecPositions();
    // parsing the YAML is most of the work and each file's own: parse side by side (the common
    // fork-join pool and this thread), then read the documents in file order
    List<Parsed> parsed = files.parallelStream().map(SpecReader::parse).toList();
    for (int i = 0; i < files.size(); i++) {
      Parsed file = parsed.get(i);
      if (file.problem() != null) {
        problems.add(file.problem());
      } else {
        readFile(files.get(i), file.docs(), slos, problems, notes, positions);
      }
    }
    return new Result(slos, positions.locate(problems), notes, positions);
  }

  /**
   * One file's YAML documents, or why it has none.
   *
   * @param docs the documents, in file order (empty when problem is set)
   * @param problem why the file could not be parsed, or null
   */
  private record Parsed(List<SpecYaml.Document> docs, Problem problem) {
    Parsed(Problem problem) {
      this(List.of(), problem);
    }
  }

  private static Parsed parse(Path file) {
    String text;
    try {
      if (!Files.exists(file)) {
        return new Parsed(
            new Problem(
                file,
                "(file)",
                "file not found",
                "check the path; directories are searched for *.yaml and *.yml"));
      }
      if (Files.size(file) > MAX_BYTES) {
        return new Parsed(
            new Problem(
                file,
                "(file)",
                "is "
                    + Files.size(file)
                    + " bytes, more than the "
                    + MAX_BYTES
                    + " a spec may have",
                "split the SLOs over several files"));
      }
      text = Files.readString(file);
    } catch (java.nio.charset.CharacterCodingException e) {
      return new Parsed(new Problem(file, "(file)", "is not UTF-8 text", "save the file as UTF-8"));
    } catch (IOException e) {
      return new Parsed(
          new Problem(
              file,
              "(file)",
              "cannot be read: " + e.getMessage(),
              "check the path and its permissions"));
    }
    try {
      return new Parsed(SpecYaml.documents(text, file.toString(), (int) MAX_BYTES), null);
    } catch (SpecYaml.Invalid e) {
      return new Parsed(
          new Problem(
              file,
              "(file)",
              "is not valid YAML: " + e.getMessage(),
              "fix the YAML at that line (indentation, quotes, one key per line)"));
    }
  }

  private void readFile(
      Path file,
      List<SpecYaml.Document> docs,
      List<Slo> slos,
      List<Problem> problems,
      List<Note> notes,
      SpecPositions positions) {
    if (docs.isEmpty()) {
      problems.add(
          new Problem(
              file,
              "(file)",
              "holds no YAML document",
              "write a vigil/v1, openslo/v1 or prometheus/v1 spec"));
      return;
    }
    if (docs.size() == 1 && docs.get(0).tree().isArray()) {
      // a YAML list of documents (kubectl style) instead of documents separated by ---
      SpecYaml.Document list = docs.get(0);
      List<SpecYaml.Document> items = new ArrayList<>();
      for (int i = 0; i < list.tree().size(); i++) {
        String item = "[" + i + "]";
        Map<String, int[]> at = new HashMap<>();
        list.positions()
            .forEach(
                (path, mark) -> {
                  if (path.equals(item)) {
                    at.put("", mark);
                  } else if (path.startsWith(item + ".")) {
                    at.put(path.substring(item.length() + 1), mark);
                  }
                });
        items.add(new SpecYaml.Document(list.tree().get(i), at));
      }
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
    for (int i = 0; i < docs.size(); i++) {
      positions.add(file, docs.size() > 1 ? "[doc " + i + "]" : "", docs.get(i).positions());
    }
    List<JsonNode> trees = docs.stream().map(SpecYaml.Document::tree).toList();
    JsonNode first = trees.get(0);
    String apiVersion = first.path("apiVersion").asText("");
    String version = first.path("version").asText("");
    if (apiVersion.equals("vigil/v1")) {
      for (int i = 0; i < trees.size(); i++) {
        slos.addAll(
            new VigilFormat()
                .read(
                    new SpecNode(
                        file, trees.size() > 1 ? "[doc " + i + "]" : "", trees.get(i), problems)));
      }
    } else if (apiVersion.equals("openslo/v1")) {
      slos.addAll(new OpenSloFormat().read(file, trees, problems));
    } else if (version.equals("prometheus/v1")) {
      for (JsonNode doc : trees) {
        slos.addAll(new SlothFormat().read(new SpecNode(file, "", doc, problems), notes));
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
}
