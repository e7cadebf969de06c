package dev.vigil.slo.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each field of the spec files read stands (line and column, from SnakeYAML Engine's node
 * marks), keyed by the field paths readers and the validator name in {@link Problem}s: {@code
 * slos[0].objective}, {@code [doc 2].spec.objectives[0]}. A list item that is a map with a {@code
 * name} is also found by it ({@code slos[0].alerting.tiers[page-1h]}), and an OpenSLO document by
 * {@code metadata.name=<name>}. A path that was not written (a missing field, a default tier) is
 * placed at the nearest enclosing field that was.
 */
public final class SpecPositions {

  /** Positions kept per file; beyond this a file's remaining fields are not indexed. */
  static final int MAX_FIELDS = 100_000;

  private final Map<Path, Map<String, int[]>> byFile = new HashMap<>();

  /**
   * Records the positions of one document's fields under a path prefix.
   *
   * @param file the spec file
   * @param prefix the document's path, e.g. {@code ""} or {@code [doc 1]}
   * @param relative the document's field positions by path relative to its root ({@code ""} the
   *     root): line and column, 1-based
   */
  void add(Path file, String prefix, Map<String, int[]> relative) {
    Map<String, int[]> positions = byFile.computeIfAbsent(file, f -> new HashMap<>());
    relative.forEach(
        (path, at) -> {
          String full =
              prefix.isEmpty()
                  ? path
                  : path.isEmpty()
                      ? prefix
                      : path.startsWith("[") ? prefix + path : prefix + "." + path;
          positions.putIfAbsent(full, at);
        });
  }

  /**
   * @param problem a problem, possibly without a position
   * @return the problem at the position of its field (or of the nearest enclosing field written);
   *     unchanged when it has one already or its file was not indexed
   */
  public Problem locate(Problem problem) {
    Map<String, int[]> positions = byFile.get(problem.file());
    if (problem.line() > 0 || positions == null) {
      return problem;
    }
    String path = problem.field();
    while (true) {
      int[] at = positions.get(path);
      if (at != null) {
        return problem.at(at[0], at[1]);
      }
      if (path.isEmpty()) {
        return problem;
      }
      path = parent(path);
    }
  }

  /**
   * @param problems problems in any order
   * @return each {@link #locate located}, in the same order
   */
  public List<Problem> locate(List<Problem> problems) {
    List<Problem> out = new ArrayList<>(problems.size());
    problems.forEach(p -> out.add(locate(p)));
    return out;
  }

  /** {@code a.b[c].d} -> {@code a.b[c]} -> {@code a.b} -> {@code a} -> {@code ""}. */
  static String parent(String path) {
    if (path.endsWith("]")) {
      int open = path.lastIndexOf('[');
      return open <= 0 ? "" : path.substring(0, open);
    }
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf(']');
    if (dot > bracket) {
      return path.substring(0, dot);
    }
    return bracket >= 0 ? path.substring(0, bracket + 1) : "";
  }
}
