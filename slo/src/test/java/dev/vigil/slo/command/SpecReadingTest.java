package dev.vigil.slo.command;

import static dev.vigil.slo.command.ValidateCommandTest.slo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs that once gave a stack trace, a silent misreading or exit 0 without a spec; each now a
 * clear problem.
 */
class SpecReadingTest {

  private static final Path READING =
      Path.of(System.getProperty("vigil.root", ".."))
          .resolve("slo/src/test/resources/specs/reading");
  private static final String LATENCY =
      """
      apiVersion: vigil/v1
      service: catalog
      slos:
        - name: latency
          objective: 95
          period: month
          %s
          sli:
            latency: {metric: m, selector: {service: catalog}, threshold: 0.5}
      """;

  @TempDir Path work;

  @Test
  void openSloRollingMonthWithAnAlertPolicyIsAProblemNotANullPointerException() {
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", READING.resolve("openslo-1M-rolling.yaml").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "spec.timeWindow[0].duration: '1M' is a calendar unit (M = month, Q = quarter, Y = year; m alone is minutes)")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void openSloCalendarThirtyDaysWithAnAlertPolicyIsAProblemNotANullPointerException() {
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", READING.resolve("openslo-30d-calendar.yaml").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("calendar window '30d' is not supported")
        .doesNotContain("Exception");
  }

  @Test
  void emptyOrUnknownTimeZoneIsAProblemNotAStackTrace() throws Exception {
    ValidateCommandTest.Run empty =
        slo("validate", "--no-promtool", spec("timeZone: \"\"").toString());
    assertThat(empty.err())
        .contains("slos[0].timeZone: the time zone is empty. Fix: write an IANA time zone")
        .doesNotContain("\tat ");
    ValidateCommandTest.Run unknown =
        slo("validate", "--no-promtool", spec("timeZone: Mars/Olympus").toString());
    assertThat(unknown.err())
        .contains("slos[0].timeZone: 'Mars/Olympus' is not a time zone")
        .doesNotContain("\tat ");
  }

  @Test
  void lowerCaseTimezoneKeyIsRefusedWithDidYouMeanInsteadOfSilentlyMeaningUtc() throws Exception {
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", spec("timezone: Europe/Berlin").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "slos[0].timezone: unknown key 'timezone' (did you mean 'timeZone'?). Fix: write timeZone:");
  }

  @Test
  void duplicateKeyIsRefusedWithItsLineAndColumnInsteadOfLastWins() throws Exception {
    Path file = Files.writeString(work.resolve("dup.yaml"), LATENCY.formatted("objective: 99"));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("is not valid YAML: duplicate key 'objective'")
        .contains("at line 7, column");
  }

  @Test
  void missingFileIsCalledMissing() {
    ValidateCommandTest.Run run = slo("validate", work.resolve("nope.yaml").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("nope.yaml: (file): file not found");
  }

  @Test
  void fileThatIsNotUtf8IsNamedSoInsteadOfInputLength() throws Exception {
    Path file = work.resolve("latin1.yaml");
    Files.write(
        file, "apiVersion: vigil/v1\nservice: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    ValidateCommandTest.Run run = slo("validate", file.toString());
    assertThat(run.err())
        .contains("(file): is not UTF-8 text. Fix: save the file as UTF-8")
        .doesNotContain("Input length");
  }

  @Test
  void directoryWithoutSpecsIsAProblemNotExitZero() throws Exception {
    Path empty = Files.createDirectories(work.resolve("empty"));
    ValidateCommandTest.Run run = slo("validate", empty.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("(directory): holds no *.yaml or *.yml spec");
  }

  @Test
  void upperCaseExtensionsInNestedDirectoriesAreFound() throws Exception {
    Path nested = Files.createDirectories(work.resolve("specs/team"));
    Files.writeString(nested.resolve("CATALOG.YAML"), LATENCY.formatted(""));
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", work.resolve("specs").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("1 SLO(s) in 1 file(s) are valid");
  }

  @Test
  void everyProblemAtOnceIncludesTheObjectiveOfAnSloWithoutSli() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("two.yaml"),
            "apiVersion: vigil/v1\nservice: catalog\nslos:\n  - name: a\n    objective: 120\n    period: 30d\n");
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.err())
        .contains("slos[0].sli: needs events, latency or timeslices")
        .contains("slos[0].objective: objective 120% is out of range");
  }

  private static final String ANCHORS =
      """
      apiVersion: vigil/v1
      service: catalog
      slos:
        - name: availability
          objective: &objective 99.9
          period: 30d
          sli: &requests
            events:
              bad: sum(rate(http_requests_total{service="catalog",status=~"5.."}[{{window}}]))
              total: sum(rate(http_requests_total{service="catalog"}[{{window}}]))
        - name: availability-7d
          objective: *objective
          period: 7d
          sli: %s
      """;

  @Test
  void anchorsAndAliasesAreResolvedInsteadOfReadAsTheAliasName() throws Exception {
    // Once: "slos[1].objective: 'objective' is not a number" (the alias read as text).
    Path file = Files.writeString(work.resolve("anchors.yaml"), ANCHORS.formatted("*requests"));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("2 SLO(s) in 1 file(s) are valid");
  }

  @Test
  void mergeKeyIsRefusedAtItsLineAndColumnInsteadOfReadAsAKeyNamedLessLess() throws Exception {
    Path file =
        Files.writeString(work.resolve("merge.yaml"), ANCHORS.formatted("\n      <<: *requests"));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            file
                + ": (file): is not valid YAML: merge keys ('<<: *name') are YAML 1.1 only and not"
                + " read here")
        .contains("at line 15, column 7")
        .doesNotContain("unknown key '<<'");
  }

  @Test
  void aliasBombIsRefusedInsteadOfExpanded() throws Exception {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1))));
      bomb.append("]\n");
    }
    Path file = Files.writeString(work.resolve("bomb.yaml"), bomb.toString());
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("is not valid YAML: more than 50 aliases (*name) to lists or maps: refused");
  }

  @Test
  void aliasInsideTheMapItNamesIsRefusedInsteadOfLoopingForever() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("loop.yaml"), "apiVersion: vigil/v1\nservice: &s\n  again: *s\n");
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("refers to a list or map that contains it");
  }

  private Path spec(String line) throws Exception {
    return Files.writeString(work.resolve("spec.yaml"), LATENCY.formatted(line));
  }
}
