package dev.vigil.drills.incident;

import dev.vigil.slo.report.HtmlReport;
import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The incident draft as one self-contained HTML file: the markdown of {@link IncidentDraft}
 * rendered by CommonMark with GitHub's tables (as the console renders runbooks), any raw HTML in it
 * escaped (labels and annotations come from Prometheus, placeholders are written {@code <...>}),
 * inside the shell of {@code vigil slo report --format html} ({@link HtmlReport#document}): inline
 * style, no script, nothing loaded from elsewhere.
 */
public final class IncidentHtml {

  private static final List<Extension> TABLES = List.of(TablesExtension.create());
  private static final Parser MARKDOWN = Parser.builder().extensions(TABLES).build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().extensions(TABLES).escapeHtml(true).build();

  private IncidentHtml() {}

  /**
   * Renders a draft.
   *
   * @param title the document's title, plain text, e.g. {@code Postmortem: drill pool-exhaustion}
   * @param markdown the draft ({@link IncidentDraft#markdown})
   * @return the HTML document
   */
  public static String render(String title, String markdown) {
    return HtmlReport.document(title, HTML.render(MARKDOWN.parse(markdown)));
  }
}
