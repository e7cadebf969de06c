package dev.vigil.telemetry.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one list of a service's settings ({@link Setting}), in the order a reader meets them: the
 * configuration is read through its entries, {@code --help} prints {@link #helpText()}, and the
 * README's table is {@link #markdownTable()} (a test holds the README to it).
 *
 * @param service the service's name, e.g. {@code catalog}
 * @param all every setting, names unique
 */
public record Settings(String service, List<Setting<?>> all) {

  /**
   * @throws IllegalArgumentException when two settings share a name
   */
  public Settings {
    all = List.copyOf(all);
    Set<String> names = new HashSet<>();
    for (Setting<?> setting : all) {
      if (!names.add(setting.name())) {
        throw new IllegalArgumentException(service + " declares " + setting.name() + " twice");
      }
    }
  }

  /**
   * The same settings followed by more, e.g. a service's own and then its admin API's.
   *
   * @param more the settings to append
   * @return the longer list
   * @throws IllegalArgumentException when a name would appear twice
   */
  public Settings and(List<Setting<?>> more) {
    List<Setting<?>> joined = new ArrayList<>(all);
    joined.addAll(more);
    return new Settings(service, joined);
  }

  /**
   * A Markdown table of the settings: variable, default, accepted values and meaning, one row each.
   *
   * @return the table, one line per row, ending with a newline
   */
  public String markdownTable() {
    StringBuilder table = new StringBuilder();
    table.append("| variable | default | accepted | meaning |\n");
    table.append("|---|---|---|---|\n");
    for (Setting<?> setting : all) {
      table
          .append("| `")
          .append(setting.name())
          .append("` | ")
          .append(cell(setting.defaultText(), true))
          .append(" | ")
          .append(cell(setting.accepted(), false))
          .append(" | ")
          .append(cell(setting.meaning(), false))
          .append(" |\n");
    }
    return table.toString();
  }

  /**
   * The settings as {@code --help} lists them: one line each, {@code NAME=default meaning
   * (accepted)}.
   *
   * @return the lines joined with {@code %n}, picocli's portable line break (a {@code %} in a
   *     setting's text is doubled, as picocli's format strings need)
   */
  public String helpText() {
    List<String> lines = new ArrayList<>();
    lines.add("Settings (environment variables, default):");
    for (Setting<?> setting : all) {
      String line =
          "  "
              + setting.name()
              + "="
              + setting.defaultText()
              + "  "
              + setting.meaning()
              + " ["
              + setting.accepted()
              + "]";
      lines.add(line.replace("%", "%%"));
    }
    return String.join("%n", lines);
  }

  /**
   * The table a Markdown document holds for this service, between {@code <!-- settings:SERVICE -->}
   * and {@code <!-- /settings:SERVICE -->}, for a test that holds the document to {@link
   * #markdownTable()}.
   *
   * @param markdown the document, e.g. the README
   * @return the text between the two markers without the newline after the first, or empty when the
   *     document lacks either marker
   */
  public Optional<String> documentedIn(String markdown) {
    String open = "<!-- settings:" + service + " -->\n";
    String close = "<!-- /settings:" + service + " -->";
    int start = markdown.indexOf(open);
    int end = start < 0 ? -1 : markdown.indexOf(close, start);
    return end < 0 ? Optional.empty() : Optional.of(markdown.substring(start + open.length(), end));
  }

  private static String cell(String text, boolean code) {
    String escaped = text.replace("|", "\\|");
    boolean parenthesised = text.startsWith("(");
    return code && !parenthesised && !text.isEmpty() ? "`" + escaped + "`" : escaped;
  }
}
