package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.command.SloCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vigil slo report --format html} against {@link LiveConsole}'s Prometheus and its known
 * traffic: one self-contained file with the figures, the burn-down and the burn-rate charts.
 */
class SloReportHtmlTest {

  @Test
  void htmlReportIsOneSelfContainedFileWithBurnDownAndBurnRateCharts() throws Exception {
    LiveConsole live = LiveConsole.get();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "report",
            "--format",
            "html",
            // host:port without a scheme, as users type it
            "--prometheus",
            live.prometheus.getAuthority(),
            LiveConsole.ROOT.resolve("slos/catalog.yaml").toString());
    assertThat(exit).as(err.toString()).isZero();
    String html = out.toString();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "slo-report.html"), html);
    assertThat(html).startsWith("<!doctype html>").endsWith("</html>\n");
    assertThat(html)
        .as("self-contained: no script, no external file")
        .doesNotContain("<script", "src=", "href=");
    assertThat(html.split("<svg", -1)).as("two charts per SLO, four SLOs").hasSize(9);
    assertThat(html)
        .contains("<h2>catalog / latency</h2>")
        .contains("80.0% (1728.0 of 2160 minutes)");
    assertThat(html.substring(html.indexOf("<h2>catalog / uptime</h2>")))
        .as("an SLO without data says so")
        .contains("<td>no data</td>");
    // the latency burn-down: 1 - 1% / 5% once events exist
    String latency = html.substring(html.indexOf("<h2>catalog / latency</h2>"));
    assertThat(latency).contains("<polyline");
  }

  @Test
  void reportWithAPrometheusWithoutSchemeIsNotAStackTrace() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "report",
            "--prometheus",
            "127.0.0.1:9",
            LiveConsole.ROOT.resolve("slos/catalog.yaml").toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: cannot reach Prometheus at http://127.0.0.1:9 ")
        .doesNotContain("\tat ");
  }
}
