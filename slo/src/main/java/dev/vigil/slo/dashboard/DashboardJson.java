package dev.vigil.slo.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Writes dashboards as stable JSON: keys in alphabetical order at every level (records and maps
 * alike), two-space indentation, {@code "key": value}, decimals as written ({@code 14.4}, never
 * {@code 1.44E+1}), null fields left out except a threshold's base value, and a final newline. The
 * same dashboard always gives the same bytes, so the committed files only change when a dashboard
 * does.
 */
public final class DashboardJson {

  private static final ObjectWriter WRITER = writer();

  /** One configured mapper for every compact value (a mapper is thread-safe once built). */
  private static final JsonMapper COMPACT = mapper();

  private DashboardJson() {}

  /**
   * @param dashboard any dashboard
   * @return its JSON text, ending with a newline
   * @throws IllegalStateException when Jackson cannot serialize it (a programming error)
   */
  public static String write(Dashboard dashboard) {
    try {
      return WRITER.writeValueAsString(dashboard) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize dashboard " + dashboard.uid(), e);
    }
  }

  /**
   * Compact JSON for values embedded in URLs (Explore panes).
   *
   * @param value maps, lists, strings
   * @return one line of JSON, keys sorted
   * @throws IllegalStateException when Jackson cannot serialize it
   */
  static String compact(Object value) {
    try {
      return COMPACT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value, e);
    }
  }

  private static JsonMapper mapper() {
    return JsonMapper.builder()
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  private static ObjectWriter writer() {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return mapper().writer(printer);
  }
}
