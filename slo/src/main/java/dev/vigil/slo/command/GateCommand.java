package dev.vigil.slo.command;

import dev.vigil.slo.report.BudgetReport;
import dev.vigil.slo.report.ReportFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo gate [--prometheus URL] [--allow-no-data] [SPEC...]}: the release gate of the
 * error budget policy for deploy pipelines. Exit 0 when every SLO allows releases, 3 when any
 * budget is exhausted (less than 10% left; the reason is printed), 4 when none is exhausted but an
 * SLO has no data over its period (the SLO and its missing series are printed; {@code
 * --allow-no-data} lets such SLOs pass, still printed), 1 when the specs or Prometheus fail, 2
 * usage.
 */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description =
        "Exit 0 when every SLO's error budget policy allows releases, 3 when any budget is exhausted,"
            + " 4 when an SLO has no data (unless --allow-no-data).",
    exitCodeOnInvalidInput = 2)
public final class GateCommand implements Callable<Integer> {

  /** Exit code when a budget is exhausted. */
  public static final int EXHAUSTED = 3;

  /** Exit code when no budget is exhausted but an SLO has no data (without --allow-no-data). */
  public static final int NO_DATA = 4;

  @Spec CommandSpec spec;

  @Mixin PrometheusOption prometheus;

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      description = "Decide as of this ISO-8601 instant (default: now)")
  Instant at;

  @Option(
      names = "--allow-no-data",
      description =
          "Let an SLO without data over its period pass (a fresh deployment); by default it fails"
              + " the gate with exit 4")
  boolean allowNoData;

  @Mixin SpecFilesParameter specs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<BudgetReport.Row> rows;
    try {
      rows = ReportCommand.rows(specs.paths(), prometheus.url(), at, err);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    if (rows == null) {
      return 1;
    }
    int code = 0;
    for (BudgetReport.Row r : rows) {
      if (r.hasNoData()) {
        String line =
            String.format(
                Locale.ROOT,
                "%s %s: no data, %s: %s",
                r.service(),
                r.slo(),
                r.noData(),
                r.state().consequence());
        if (allowNoData) {
          out.println("pass " + line + " (allowed by --allow-no-data)");
        } else {
          out.println("NO DATA " + line + "; --allow-no-data lets it pass");
          code = code == EXHAUSTED ? EXHAUSTED : NO_DATA;
        }
        continue;
      }
      String line =
          String.format(
              Locale.ROOT,
              "%s %s: %s, %.1f%% of the error budget remains: %s (data: %s)",
              r.service(),
              r.slo(),
              r.state().label(),
              r.remainingPercent(),
              r.state().consequence(),
              ReportFormat.coverage(r));
      if (r.state().releasesAllowed()) {
        out.println("pass " + line);
      } else {
        out.println("BLOCK " + line);
        code = EXHAUSTED;
      }
    }
    out.flush();
    return code;
  }
}
