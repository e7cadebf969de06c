package dev.vigil.slo.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A YAML node together with its field path, which reads typed values and records a {@link Problem}
 * for every missing or ill-typed field instead of stopping at the first one.
 *
 * @param file the spec file, for problems
 * @param path the field path of this node, e.g. {@code slos[0].sli}
 * @param node the YAML node (may be missing)
 * @param problems where problems are collected
 */
public record SpecNode(Path file, String path, JsonNode node, List<Problem> problems) {

  /**
   * @param name a field name @return the child node (missing when absent)
   */
  public SpecNode get(String name) {
    JsonNode child = node == null ? MissingNode.getInstance() : node.path(name);
    return new SpecNode(file, path.isEmpty() ? name : path + "." + name, child, problems);
  }

  /**
   * @return true when the field is absent or null
   */
  public boolean absent() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  /**
   * @return the list items with their paths {@code path[i]}; a problem when the node is not a list
   */
  public List<SpecNode> items() {
    List<SpecNode> out = new ArrayList<>();
    if (absent()) {
      return out;
    }
    if (!node.isArray()) {
      problem("must be a list", "write a YAML list (lines starting with '- ')");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(new SpecNode(file, path + "[" + i + "]", node.get(i), problems));
    }
    return out;
  }

  /**
   * @param fix how to write the value
   * @return the text, or null (with a problem) when absent or not a scalar
   */
  public String requiredText(String fix) {
    if (absent() || !node.isValueNode() || node.asText().isBlank()) {
      problem("is required", fix);
      return null;
    }
    return node.asText();
  }

  /**
   * @param fallback value when absent @return the text or the fallback
   */
  public String text(String fallback) {
    return absent() ? fallback : node.asText();
  }

  /**
   * @param fix how to write the number
   * @return the exact decimal as written, or null (with a problem) when absent or not a number
   */
  public BigDecimal requiredDecimal(String fix) {
    if (absent()) {
      problem("is required", fix);
      return null;
    }
    return decimal(null, fix);
  }

  /**
   * @param fallback value when absent
   * @param fix how to write the number
   * @return the exact decimal as written (YAML text, not a double), the fallback, or null with a
   *     problem
   */
  public BigDecimal decimal(BigDecimal fallback, String fix) {
    if (absent()) {
      return fallback;
    }
    try {
      return new BigDecimal(node.asText().trim());
    } catch (NumberFormatException e) {
      problem("'" + node.asText() + "' is not a number", fix);
      return null;
    }
  }

  /**
   * @return the string map under this node (label maps); a problem when it is not a map
   */
  public Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    if (absent()) {
      return out;
    }
    if (!node.isObject()) {
      problem("must be a map of names to values", "write key: value lines");
      return out;
    }
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /**
   * Parses the text with {@code parser}; an {@link IllegalArgumentException} or a {@link
   * java.time.DateTimeException} (time zones) becomes a problem.
   *
   * @param parser e.g. {@code PromDuration::parse}
   * @param fallback value when absent
   * @param fix how to write the value
   * @param <T> the parsed type
   * @return the parsed value, the fallback, or null with a problem
   */
  public <T> T parse(Function<String, T> parser, T fallback, String fix) {
    if (absent()) {
      return fallback;
    }
    try {
      return parser.apply(node.asText());
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // DateTimeException: ZoneId.of("") or an unknown zone; never a stack trace for a spec's
      // mistake
      problem(
          e.getMessage().isBlank() ? "'" + node.asText() + "' is not valid" : e.getMessage(), fix);
      return null;
    }
  }

  /**
   * Refuses keys of this map that the format does not know, naming the closest known key: a
   * misspelt optional field ({@code timezone:} for {@code timeZone:}) would otherwise be ignored
   * silently.
   *
   * @param known the keys this map may hold
   */
  public void allowOnly(String... known) {
    if (absent() || !node.isObject()) {
      return;
    }
    List<String> keys = List.of(known);
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!keys.contains(key)) {
                String closest =
                    keys.stream()
                        .min(
                            java.util.Comparator.comparingInt(
                                k -> distance(k.toLowerCase(), key.toLowerCase())))
                        .orElse("");
                boolean near =
                    distance(closest.toLowerCase(), key.toLowerCase())
                        <= Math.max(2, key.length() / 3);
                get(key)
                    .problem(
                        "unknown key '"
                            + key
                            + "'"
                            + (near ? " (did you mean '" + closest + "'?)" : ""),
                        near
                            ? "write " + closest + ":"
                            : "remove it; the keys here are " + String.join(", ", keys));
              }
            });
  }

  /** Levenshtein edit distance (insertions, deletions, substitutions), for did-you-mean hints. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /**
   * Records a problem at this node's path.
   *
   * @param message what is wrong
   * @param fix what to write instead
   */
  public void problem(String message, String fix) {
    problems.add(new Problem(file, path.isEmpty() ? "(document)" : path, message, fix));
  }
}
