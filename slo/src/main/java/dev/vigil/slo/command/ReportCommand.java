package dev.vigil.slo.command;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.report.BudgetReport;
import dev.vigil.slo.report.ReportFormat;
import dev.vigil.slo.spec.Problem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo report --prometheus URL [--format table|json|markdown] [SPEC...]}: each SLO's
 * error budget over its period from live data. Exit 0 printed, 1 bad spec or Prometheus
 * unreachable, 2 usage.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Print each SLO's objective, SLI, error budget, burn rates and policy state from Prometheus.",
    exitCodeOnInvalidInput = 2)
public final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin PrometheusOption prometheus;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "FORMAT",
      description =
          "table (default), json, markdown, or html (one self-contained file, with charts)")
  String format;

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      description = "Report as of this ISO-8601 instant (default: now), e.g. 2026-11-01T00:00:00Z")
  Instant at;

  @Mixin SpecFilesParameter specFiles;

  /**
   * Reads the specs and computes the report rows; shared with {@code gate}.
   *
   * @param specs the spec files and directories ({@link SpecFilesParameter#paths()})
   * @param prometheus Prometheus base URL
   * @param at instant, or null for now
   * @param err where problems are printed
   * @return the rows, or null when the specs have problems (already printed)
   * @throws IOException when Prometheus is unreachable
   */
  static List<BudgetReport.Row> rows(
      List<Path> specs, URI prometheus, Instant at, java.io.PrintWriter err) throws IOException {
    SpecFiles.Checked read = SpecFiles.readAndValidate(specs);
    List<Problem> problems = read.problems();
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      return null;
    }
    List<Slo> slos = read.slos();
    return new BudgetReport(new PrometheusClient(prometheus))
        .rows(slos, at == null ? Instant.now() : at);
  }

  @Override
  public Integer call() {
    if ("html".equalsIgnoreCase(format)) {
      return html();
    }
    ReportFormat f;
    try {
      f = ReportFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      spec.commandLine()
          .getErr()
          .println("unknown --format '" + format + "': use table, json, markdown or html");
      return 2;
    }
    try {
      List<BudgetReport.Row> rows =
          rows(specFiles.paths(), prometheus.url(), at, spec.commandLine().getErr());
      if (rows == null) {
        return 1;
      }
      spec.commandLine().getOut().print(f.render(rows));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }

  /** {@code --format html}: {@link dev.vigil.slo.report.HtmlReport} on standard output. */
  private int html() {
    try {
      Instant when = at == null ? Instant.now() : at;
      List<BudgetReport.Row> rows =
          rows(specFiles.paths(), prometheus.url(), when, spec.commandLine().getErr());
      if (rows == null) {
        return 1;
      }
      List<Slo> slos = SpecFiles.readAndValidate(specFiles.paths()).slos();
      spec.commandLine()
          .getOut()
          .print(
              new dev.vigil.slo.report.HtmlReport(new PrometheusClient(prometheus.url()))
                  .render(slos, rows, when));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }
}
