package dev.vigil.slo.command;

import static dev.vigil.slo.command.ValidateCommandTest.slo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs that were once accepted although their SLO could never alert or would crash a later step.
 */
class SemanticValidationTest {

  @TempDir Path work;

  @Test
  void objectiveWrittenAsAFractionIsRefusedWithThePercentMeant() throws Exception {
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", spec("objective: 0.999", "").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "slos[0].objective: objective 0.999 looks like a fraction, but objective is in percent: "
                + "0.999% would allow 99.001% of events to fail. Fix: write the percentage, objective: 99.9");
  }

  @Test
  void tierThatNeedsMoreThanAllRequestsFailingIsRefusedInsteadOfNeverFiring() throws Exception {
    // 90% over 30d: page-1h needs 14.4 x 10% = 144% errors
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", spec("objective: 90", "").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "slos[0].alerting.tiers[page-1h]: tier page-1h can never fire: it needs more than 144% errors "
                + "(burn-rate factor 14.4 x error budget 0.1). Fix: lower budgetPercent below 1.389")
        .doesNotContain("tiers[page-6h]");
  }

  @Test
  void disablingTheUnreachableTierMakesTheSpecValid() throws Exception {
    String alerting =
        """
            alerting:
              tiers:
                - name: page-1h
                  enabled: false
        """;
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", spec("objective: 90", alerting).toString());
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void objectiveTooTightToMeasureIsRefusedInsteadOfCrashingGenerate() throws Exception {
    ValidateCommandTest.Run run =
        slo(
            "generate",
            "--out",
            work.resolve("out").toString(),
            spec("objective: 99.999999", "").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "slos[0].objective: objective 99.999999% leaves an error budget too small to measure")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void absurdPeriodIsRefusedInsteadOfRunningOutOfMemory() throws Exception {
    Path file = spec("objective: 99.9", "");
    Files.writeString(file, Files.readString(file).replace("period: 30d", "period: 100000d"));
    ValidateCommandTest.Run run =
        slo("generate", "--out", work.resolve("out").toString(), file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("slos[0].period: period 100000d is longer than a year")
        .doesNotContain("\tat ");
  }

  @Test
  void labelNamePromtoolWouldRejectIsRefusedInsteadOfGenerateWritingBrokenRules() throws Exception {
    // once generate exited 0 and wrote rules that promtool and Prometheus refuse to load
    Path file = spec("objective: 99.9", "");
    Files.writeString(
        file,
        Files.readString(file)
            .replace("service: catalog\n", "service: catalog\nlabels:\n  team-name: a\n"));
    Path out = work.resolve("out");
    ValidateCommandTest.Run run = slo("generate", "--out", out.toString(), file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .containsPattern(
            "spec\\.yaml:\\d+:\\d+: slos\\[0]\\.labels\\.team-name: 'team-name' is not a Prometheus"
                + " label name, so promtool and Prometheus would refuse the rules")
        .doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  private Path spec(String objective, String alerting) throws Exception {
    return Files.writeString(
        work.resolve("spec.yaml"),
        """
        apiVersion: vigil/v1
        service: catalog
        slos:
          - name: availability
            %s
            period: 30d
            sli:
              events:
                bad: sum(rate(http_requests_total{service="catalog",status=~"5.."}[{{window}}]))
                total: sum(rate(http_requests_total{service="catalog"}[{{window}}]))
        %s"""
            .formatted(objective, alerting));
  }
}
