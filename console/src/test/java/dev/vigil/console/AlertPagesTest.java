package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.telemetry.http.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerts page's runbooks: rendered from docs/runbooks, raw HTML escaped, names only. */
class AlertPagesTest {

  @Test
  void aRunbookIsRenderedWithItsSections() {
    AlertPages pages = new AlertPages(null, LiveConsole.ROOT.resolve("docs/runbooks"), "catalog");
    assertThat(pages.runbookHtml("SloBurnRatePage"))
        .contains(
            "<h2>Meaning</h2>", "<h2>Impact</h2>", "<h2>Diagnosis</h2>", "<h2>Mitigation</h2>")
        .contains("<h2>Escalation</h2>");
  }

  @Test
  void rawHtmlInARunbookIsShownAsTextNeverRun(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("Evil.md"), "# Evil\n\n<script>alert(1)</script>\n");
    AlertPages pages = new AlertPages(null, dir, "catalog");
    assertThat(pages.runbookHtml("Evil")).doesNotContain("<script>").contains("&lt;script&gt;");
  }

  @Test
  void aPathInPlaceOfAnAlertNameIsRefused(@TempDir Path dir) {
    AlertPages pages = new AlertPages(null, dir, "catalog");
    assertThatThrownBy(() -> pages.runbookHtml("../../etc/passwd"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("is not an alert name");
    assertThatThrownBy(() -> pages.runbookHtml("NoSuchAlert"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("no runbook for NoSuchAlert");
  }
}
