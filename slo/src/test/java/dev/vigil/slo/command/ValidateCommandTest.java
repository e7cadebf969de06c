package dev.vigil.slo.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vigil slo validate} as a user runs it: exit codes and one line per problem with its fix.
 */
class ValidateCommandTest {

  private static final Path SPECS =
      Path.of(System.getProperty("vigil.root", "..")).resolve("slo/src/test/resources/specs");

  record Run(int code, String out, String err) {}

  static Run slo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void catalogOpenSloAndSlothSpecsAreValid() {
    Run run =
        slo(
            "validate",
            root("slos/catalog.yaml"),
            SPECS.resolve("openslo-checkout.yaml").toString(),
            SPECS.resolve("openslo-search-calendar.yaml").toString(),
            SPECS.resolve("sloth-myservice.yaml").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("8 SLO(s) in 4 file(s) are valid");
  }

  @Test
  void everyProblemIsReportedAtOnceWithFileLineColumnFieldAndFix() {
    // Once semantic problems named the field path only ("invalid.yaml: slos[0].objective"): a user
    // had to count list items to find the line. Each now starts with file:line:column of the value.
    Run run = slo("validate", SPECS.resolve("invalid.yaml").toString());
    assertThat(run.code()).isEqualTo(1);
    String file = SPECS.resolve("invalid.yaml").toString();
    assertThat(run.err())
        .contains(
            file
                + ":6:16: slos[0].objective: objective 100% is out of range. Fix: write a percentage strictly between 0 and 100")
        .contains(file + ":10:14: slos[0].sli.events.bad: query has no {{window}} placeholder")
        .contains(file + ":18:13: slos[1].period: '7x' is not a duration")
        .contains(
            file
                + ":14:11: slos[0].alerting.tiers[page-1h]: window 45m is not recorded. Fix: use one of [5m, 30m, 1h, 2h, 6h, 1d, 3d]")
        .contains(file + ":27:7: slos[2].sli: promtool rejects the PromQL generated from this SLI")
        .contains("problem(s) in 1 file(s)");
  }

  @Test
  void everyProblemOfASpecFileCarriesItsLineAndColumn() {
    // a field that was not written (a missing sli) is placed at the nearest enclosing field written
    Run run =
        slo(
            "validate",
            "--no-promtool",
            SPECS.resolve("openslo-unsupported.yaml").toString(),
            SPECS.resolve("invalid.yaml").toString());
    assertThat(run.err().lines().filter(l -> l.contains("invalid.yaml")).toList())
        .as("every problem of invalid.yaml has a line and column")
        .allMatch(l -> l.matches(".*invalid\\.yaml:\\d+:\\d+: .*") || l.contains("problem(s) in"));
    assertThat(run.err().lines().filter(l -> l.contains("openslo-unsupported.yaml:")).toList())
        .isNotEmpty()
        .allMatch(l -> l.matches(".*openslo-unsupported\\.yaml:\\d+:\\d+: .*"));
  }

  @Test
  void duplicateNamesAreReported() {
    Run run = slo("validate", root("slos/catalog.yaml"), root("slos/catalog.yaml"));
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("slos[0].name: duplicate SLO 'availability' of service 'catalog'");
  }

  @Test
  void unsupportedOpenSloFeaturesAreRejectedClearly() {
    Run run = slo("validate", SPECS.resolve("openslo-unsupported.yaml").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "spec.budgetingMethod: 'Timeslice' is not an OpenSLO budgeting method. Fix: use"
                + " budgetingMethod: Occurrences (events), Timeslices")
        .contains(
            "spec.indicator.spec.thresholdMetric: thresholdMetric indicators are not supported");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(slo("validate", "--no-such-flag", "x.yaml").code()).isEqualTo(2);
    assertThat(slo().code()).isEqualTo(2);
  }

  @Test
  void withoutASpecTheDefaultSlosDirectoryIsRead() {
    // the slo module's directory has no slos/: the default is named, as any missing file is
    Run run = slo("validate");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("slos");
  }

  @Test
  void aMissingFileIsAProblemNotACrash() {
    Run run = slo("validate", "does-not-exist.yaml");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("does-not-exist.yaml: (file): file not found");
  }

  private static String root(String relative) {
    return Path.of(System.getProperty("vigil.root", "..")).resolve(relative).toString();
  }
}
