package dev.vigil.slo.command;

import static dev.vigil.slo.command.ValidateCommandTest.slo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSLO and Sloth specs read as strictly as vigil/v1: unknown keys refused with a did-you-mean,
 * every document checked, and what the reader assumed or dropped told to the user.
 */
class OtherFormatsReadingTest {

  private static final Path SPECS =
      Path.of(System.getProperty("vigil.root", "..")).resolve("slo/src/test/resources/specs");

  @TempDir Path work;

  @Test
  void slothSpecIsReadWithNotesOnTheAssumedPeriodAndTheDroppedAlertFieldsInsteadOfSilently() {
    ValidateCommandTest.Run run =
        slo("validate", "--no-promtool", SPECS.resolve("sloth-myservice.yaml").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("note: ")
        .contains("slos: Sloth specs have no period: vigil assumes Sloth's default, 30d rolling")
        .contains(
            "slos[0].alerting.name: Sloth's alert name 'MyServiceHighErrorRate' is not used:"
                + " vigil's alerts are SloBurnRatePage")
        .contains("slos[0].alerting.labels: category not copied")
        .contains("slos[0].alerting.page_alert.labels: severity not copied");
  }

  @Test
  void misspeltSlothKeyIsRefusedWithDidYouMeanInsteadOfIgnored() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("sloth.yaml"),
            Files.readString(SPECS.resolve("sloth-myservice.yaml"))
                .replace("        disable: true", "        disabled: true"));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "slos[1].alerting.page_alert.disabled: unknown key 'disabled' (did you mean"
                + " 'disable'?)");
  }

  @Test
  void misspeltOpenSloKeyIsRefusedWithDidYouMeanInsteadOfIgnored() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("openslo.yaml"),
            Files.readString(SPECS.resolve("openslo/uptime-timeslices.yaml"))
                .replace("timeSliceTarget:", "timesliceTarget:"));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "spec.objectives[0].timesliceTarget: unknown key 'timesliceTarget' (did you mean"
                + " 'timeSliceTarget'?)");
  }

  @Test
  void dataSourceDocumentIsAcceptedInsteadOfRejectingTheWholeFile() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("with-datasource.yaml"),
            """
            apiVersion: openslo/v1
            kind: DataSource
            metadata:
              name: prometheus
            spec:
              type: Prometheus
              connectionDetails:
                url: http://prometheus:9090
            ---
            """
                + Files.readString(SPECS.resolve("openslo/uptime-timeslices.yaml")));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("1 SLO(s) in 1 file(s) are valid");
  }

  @Test
  void brokenSliThatNoSloReferencesIsStillAProblem() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("unreferenced.yaml"),
            Files.readString(SPECS.resolve("openslo/uptime-timeslices.yaml"))
                + """
                ---
                apiVersion: openslo/v1
                kind: SLI
                metadata:
                  name: waiting
                spec:
                  ratioMetric:
                    counter: true
                    good:
                      metricSource:
                        type: Prometheus
                        spec:
                          query: Any
                    total:
                      metricSource:
                        type: Prometheus
                        spec:
                          query: requests_total
                """);
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "[doc 2].spec.ratioMetric.good.metricSource.spec.query: 'Any' is a placeholder, not a"
                + " query");
  }

  @Test
  void calendarStartTimeOffTheMonthsFirstMidnightIsRefusedInsteadOfIgnored() throws Exception {
    Path file =
        Files.writeString(
            work.resolve("mid-month.yaml"),
            Files.readString(SPECS.resolve("openslo-search-calendar.yaml"))
                .replace("startTime: 2026-01-01 00:00:00", "startTime: 2026-01-15 09:00:00"));
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "spec.timeWindow[0].calendar.startTime: vigil's monthly periods start at the first"
                + " midnight of each month in the time zone; 2026-01-15 09:00:00 is not one");
    // on the first midnight of a month it means vigil's periods: accepted
    assertThat(
            slo(
                    "validate",
                    "--no-promtool",
                    SPECS.resolve("openslo-search-calendar.yaml").toString())
                .code())
        .isZero();
  }

  @Test
  void yamlListOfDocumentsIsReadAsDocumentsInsteadOfNoApiVersion() throws Exception {
    String uptime = Files.readString(SPECS.resolve("openslo/uptime-timeslices.yaml"));
    String[] docs = uptime.substring(uptime.indexOf("apiVersion")).split("---\n");
    StringBuilder list = new StringBuilder();
    for (String doc : docs) {
      list.append("- ").append(doc.strip().replace("\n", "\n  ")).append('\n');
    }
    Path file = Files.writeString(work.resolve("list.yaml"), list.toString());
    ValidateCommandTest.Run run = slo("validate", "--no-promtool", file.toString());
    assertThat(run.code()).as(run.err() + "\n" + list).isZero();
    assertThat(run.out()).contains("1 SLO(s) in 1 file(s) are valid");
  }
}
