package dev.vigil.slo.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes generated documents (maps and lists in insertion order) as YAML: no document marker,
 * quotes only where YAML needs them, multi-line strings (PromQL) as literal blocks.
 *
 * <p>Jackson (with SnakeYAML's emitter) decides how every scalar is written. A generated file
 * repeats most of its scalars many times (a promtool test file of 10 SLOs holds about 13,000
 * scalars, 1,000 of them distinct), so {@link #write} has Jackson write each distinct key and
 * string once, in one document of its own, and lays out the block structure around them (two spaces
 * per level, list items indented under their key) itself. A document with anything else (numbers,
 * nulls, a line break other than \n, an empty collection, a list or a multi-line string as a list
 * item, a key Jackson does not write as a simple key, a block scalar with keep chomping) is written
 * by Jackson whole. Tests compare both paths byte for byte ({@code YamlEmitterTest}).
 *
 * <p>The files of one {@code vigil slo generate} repeat most of their scalars from file to file too
 * (1,000 SLOs: 21 MB of distinct scalars summed over the documents, 4 MB distinct over all of
 * them), so the documents of one run may share a {@link Scalars}: a scalar Jackson wrote for one
 * document is laid out, not written again, in the next.
 */
final class YamlEmitter {

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // a string that reads as a number stays a string: tier: "2", not tier: 2
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  /** Spaces to indent with, sliced. */
  private static final String SPACES = " ".repeat(256);

  private YamlEmitter() {}

  /**
   * @param keysAndValues key, value, key, value...
   * @return a map keeping that order (generated files must not depend on hash order)
   */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /**
   * @param header comment lines (without '#') put on top, may be empty
   * @param document maps, lists and strings
   * @return the YAML text
   * @throws UncheckedIOException when Jackson cannot write the document (a programming error)
   */
  static String write(String header, Object document) {
    return write(header, document, new Scalars());
  }

  /**
   * @param header comment lines (without '#') put on top, may be empty
   * @param document maps, lists and strings
   * @param scalars the written forms of scalars met in earlier documents, added to
   * @return the YAML text
   * @throws UncheckedIOException when Jackson cannot write the document (a programming error)
   */
  static String write(String header, Object document, Scalars scalars) {
    StringBuilder out = new StringBuilder();
    header.lines().forEach(l -> out.append("# ").append(l).append('\n'));
    String fast = Blocks.write(document, scalars);
    return out.append(fast != null ? fast : withJackson(document)).toString();
  }

  /**
   * The written forms of the keys and strings of the documents written so far, shared by documents
   * written one after the other or side by side (thread-safe). A form depends on its scalar only
   * (its indentation is the layout's), so a scalar Jackson wrote once is never written again. Only
   * forms of documents the block layout took are kept.
   */
  static final class Scalars {

    /** Written form of each string value, as in {@link Blocks#renderValues}. */
    private final Map<String, String> values = new ConcurrentHashMap<>();

    /** Written form of each key, as in {@link Blocks#renderKeys}. */
    private final Map<String, String> keys = new ConcurrentHashMap<>();

    /** An empty set, for the documents of one run. */
    Scalars() {}
  }

  /**
   * @param document maps, lists, strings, numbers...
   * @return the document as Jackson writes it
   * @throws UncheckedIOException when Jackson cannot write it
   */
  static String withJackson(Object document) {
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The block layout of one document around scalars Jackson wrote: {@link #write} returns null for
   * any document outside the shapes described on {@link YamlEmitter}.
   */
  static final class Blocks {

    /**
     * The written form of each distinct string value, e.g. {@code "\"2\""} or {@code "|\n x\n"}.
     */
    private final Map<String, String> values = new HashMap<>();

    /** The written form of each distinct key. */
    private final Map<String, String> keys = new HashMap<>();

    private final StringBuilder out = new StringBuilder();

    /** Forms of earlier documents: what is there is not written by Jackson again. */
    private final Scalars known;

    /** The keys of this document Jackson wrote, not {@link #known} before. */
    private List<String> newKeys = List.of();

    /** The strings of this document Jackson wrote, not {@link #known} before. */
    private List<String> newValues = List.of();

    private Blocks(Scalars known) {
      this.known = known;
    }

    /**
     * @param document maps, lists and strings
     * @return its YAML text as Jackson would write it, or null when the document is not one this
     *     class lays out
     */
    static String write(Object document) {
      return write(document, new Scalars());
    }

    /**
     * @param document maps, lists and strings
     * @param known the forms of scalars of earlier documents; this one's are added when it is laid
     *     out
     * @return its YAML text as Jackson would write it, or null when the document is not one this
     *     class lays out
     */
    static String write(Object document, Scalars known) {
      if (!(document instanceof Map<?, ?> map) || map.isEmpty()) {
        return null;
      }
      Blocks blocks = new Blocks(known);
      if (!blocks.collect(map) || !blocks.renderKeys() || !blocks.renderValues()) {
        return null;
      }
      // only what Jackson wrote for this document: the rest came from there
      blocks.newKeys.forEach(k -> known.keys.put(k, blocks.keys.get(k)));
      blocks.newValues.forEach(v -> known.values.put(v, blocks.values.get(v)));
      blocks.map(map, 0, -1);
      return blocks.out.toString();
    }

    /**
     * Gathers the distinct keys and string values; false on anything this class does not lay out.
     */
    private boolean collect(Object node) {
      if (node instanceof String s) {
        values.put(s, null);
        return true;
      }
      if (node instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!(e.getKey() instanceof String key) || !collect(e.getValue())) {
            return false;
          }
          keys.put(key, null);
        }
        return true;
      }
      if (node instanceof List<?> list) {
        for (Object item : list) {
          boolean outside =
              item instanceof List<?>
                  || item instanceof Map<?, ?> m && m.isEmpty()
                  || item instanceof String s && s.indexOf('\n') >= 0;
          if (outside || !collect(item)) {
            return false;
          }
        }
        return true;
      }
      return false;
    }

    /**
     * Whether the text holds a line break other than {@code \n} ({@code \r}, NEL, LS, PS):
     * SnakeYAML breaks lines there too and indents what follows by its context.
     */
    private static boolean otherBreak(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
          return true;
        }
      }
      return false;
    }

    /**
     * Fills in the forms this run has already written, and lists the scalars it has not.
     *
     * @param found this document's scalars, each mapped to its written form (filled in here)
     * @param written the forms written earlier in the run, by scalar
     * @return the scalars of {@code found} without a written form, in its iteration order
     */
    private static List<String> unknown(Map<String, String> found, Map<String, String> written) {
      List<String> distinct = new ArrayList<>();
      for (Map.Entry<String, String> e : found.entrySet()) {
        String form = written.get(e.getKey());
        if (form == null) {
          distinct.add(e.getKey());
        } else {
          e.setValue(form);
        }
      }
      return distinct;
    }

    /**
     * Has Jackson write every distinct key not {@link #known} as the key of one map ({@code key:
     * x}, one per line).
     */
    private boolean renderKeys() {
      List<String> distinct = unknown(keys, known.keys);
      if (distinct.isEmpty()) {
        return true;
      }
      newKeys = distinct;
      Map<String, String> doc = new LinkedHashMap<>();
      distinct.forEach(k -> doc.put(k, "x"));
      String[] lines = withJackson(doc).split("\n", -1);
      if (lines.length != distinct.size() + 1) {
        return false; // a key written over more than one line (e.g. "? key")
      }
      for (int i = 0; i < distinct.size(); i++) {
        String line = lines[i];
        if (otherBreak(distinct.get(i))) {
          return false;
        }
        if (!line.endsWith(": x") || line.startsWith("? ")) {
          return false;
        }
        keys.put(distinct.get(i), line.substring(0, line.length() - 3));
      }
      return true;
    }

    /**
     * Has Jackson write every distinct string not {@link #known} as the value of a key {@code a<i>}
     * of one map, and keeps what follows {@code "a<i>: "}: one line, or a literal block whose lines
     * are indented by two spaces.
     */
    private boolean renderValues() {
      List<String> distinct = unknown(values, known.values);
      if (distinct.isEmpty()) {
        return true;
      }
      newValues = distinct;
      Map<String, String> doc = new LinkedHashMap<>();
      for (int i = 0; i < distinct.size(); i++) {
        if (otherBreak(distinct.get(i))) {
          return false;
        }
        doc.put("a" + i, distinct.get(i));
      }
      String text = withJackson(doc);
      int pos = 0;
      for (int i = 0; i < distinct.size(); i++) {
        String prefix = "a" + i + ": ";
        if (!text.startsWith(prefix, pos)) {
          return false;
        }
        int start = pos + prefix.length();
        int end = text.indexOf('\n', start) + 1;
        if (end == 0) {
          return false;
        }
        if (text.charAt(start) == '|') {
          if (text.substring(start, end).contains("+")) {
            return false; // keep chomping: SnakeYAML may end the document differently
          }
          // the block's lines: indented or empty, up to the next key at column 0
          while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\n')) {
            end = text.indexOf('\n', end) + 1;
          }
        } else if (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\n')) {
          return false; // a scalar over several lines that is not a literal block
        }
        values.put(distinct.get(i), text.substring(start, end));
        pos = end;
      }
      return pos == text.length();
    }

    /**
     * Writes a map's entries, keys at {@code indent}; the first one after what the line already
     * holds ({@code "- "}) when {@code firstInline} is 0.
     */
    private void map(Map<?, ?> map, int indent, int firstInline) {
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(first && firstInline == 0)) {
          out.append(SPACES, 0, indent);
        }
        first = false;
        out.append(keys.get((String) e.getKey())).append(':');
        value(e.getValue(), indent);
      }
    }

    /** Writes a key's value (after {@code "key:"}), the key at column {@code keyIndent}. */
    private void value(Object value, int keyIndent) {
      switch (value) {
        case String s -> {
          out.append(' ');
          scalar(values.get(s), keyIndent + 2);
        }
        case Map<?, ?> m when m.isEmpty() -> out.append(" {}\n");
        case List<?> l when l.isEmpty() -> out.append(" []\n");
        case Map<?, ?> m -> {
          out.append('\n');
          map(m, keyIndent + 2, -1);
        }
        case List<?> l -> {
          out.append('\n');
          list(l, keyIndent + 2);
        }
        default -> throw new IllegalStateException("not collected: " + value);
      }
    }

    /** Writes list items, their dashes at column {@code indent}. */
    private void list(List<?> list, int indent) {
      for (Object item : list) {
        out.append(SPACES, 0, indent).append("- ");
        if (item instanceof Map<?, ?> m) {
          map(m, indent + 2, 0);
        } else {
          scalar(values.get((String) item), indent + 2);
        }
      }
    }

    /** Appends a written scalar; a literal block's lines indented to {@code blockIndent}. */
    private void scalar(String written, int blockIndent) {
      if (written.charAt(0) != '|') {
        out.append(written);
        return;
      }
      int lineEnd = written.indexOf('\n') + 1;
      out.append(written, 0, lineEnd);
      for (int start = lineEnd; start < written.length(); start = lineEnd) {
        lineEnd = written.indexOf('\n', start) + 1;
        if (written.charAt(start) != '\n') {
          // Jackson wrote it two spaces in (key at column 0)
          out.append(SPACES, 0, blockIndent).append(written, start + 2, lineEnd);
        } else {
          out.append('\n');
        }
      }
    }
  }
}
