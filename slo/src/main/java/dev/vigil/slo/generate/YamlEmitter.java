package dev.vigil.slo.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes generated documents (maps and lists in insertion order) as YAML: no document marker,
 * quotes only where YAML needs them, multi-line strings (PromQL) as literal blocks.
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
   */
  static String write(String header, Object document) {
    try {
      StringBuilder out = new StringBuilder();
      header.lines().forEach(l -> out.append("# ").append(l).append('\n'));
      return out.append(YAML.writeValueAsString(document)).toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
