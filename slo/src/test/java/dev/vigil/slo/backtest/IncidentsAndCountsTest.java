package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.Slo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code vigil slo backtest} reads and counts around the alert timeline, worked out by hand:
 * the incidents file (order, names, the SLOs an incident concerns, its mistakes), drill reports in
 * a directory, the pages and tickets counted, how a notification is described, and which of two
 * notifications detects an incident.
 */
class IncidentsAndCountsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void incidentsAreReadOldestFirstNamedByPositionWhenUnnamedAndMayNameTheirSlos() throws Exception {
    Path file = dir.resolve("incidents.yaml");
    Files.writeString(
        file,
        """
        incidents:
          - name: db failover
            start: 2026-12-02T10:00:00Z
            end: 2026-12-02T10:20:00Z
            slos: [latency]
          - start: 2026-12-01T08:00:00Z
            end: 2026-12-01T08:00:00Z
        """);

    List<Incident> incidents = Incident.read(file);

    assertThat(incidents)
        .extracting(Incident::name)
        .as("oldest first; an unnamed one is named by its place in the file")
        .containsExactly("incident 2", "db failover");
    assertThat(incidents.get(0).end())
        .as("it may end when it starts")
        .isEqualTo(incidents.get(0).start());
    assertThat(incidents.get(0).concerns("availability")).as("no slos: every SLO").isTrue();
    assertThat(incidents.get(1).concerns("latency")).isTrue();
    assertThat(incidents.get(1).concerns("availability")).isFalse();
  }

  @Test
  void anIncidentEndingBeforeItStartsIsNamedByItsPlaceInTheFile() throws Exception {
    Path file = dir.resolve("backwards.yaml");
    Files.writeString(
        file,
        "- {start: 2026-12-01T08:00:00Z, end: 2026-12-01T09:00:00Z}\n"
            + "- {start: 2026-12-01T10:00:00Z, end: 2026-12-01T09:59:59Z}\n");

    assertThatThrownBy(() -> Incident.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            file + ": incident 2: end 2026-12-01T09:59:59Z is before start 2026-12-01T10:00:00Z");
  }

  @Test
  void aDirectoryOfDrillReportsGivesOneIncidentPerDrillOldestFirst() throws Exception {
    // the file names sort the other way round from the drills' times
    Files.writeString(dir.resolve("a-later.json"), drill("later", 30, 40));
    Files.writeString(dir.resolve("b-earlier.json"), drill("earlier", 10, 20));
    Files.writeString(dir.resolve("notes.txt"), "not a report");

    assertThat(Incident.read(dir))
        .extracting(Incident::name)
        .containsExactly("earlier (drill)", "later (drill)");
  }

  @Test
  void pagesAndTicketsAreCountedApartAndTheAbsentAlertInNeither() {
    Backtest.Result result =
        new Backtest.Result(
            null,
            at(0),
            at(100),
            0,
            100,
            0,
            List.of(
                alert("SloBurnRatePage", "critical", "1h", n(1, 1, 5), n(20, 20, 25)),
                alert("SloBurnRateTicket", "warning", "1d", n(2, 2, 30)),
                alert("SloSliAbsent", "critical", null, n(50, 60, 70))),
            Map.of());

    assertThat(result.notifications(true)).isEqualTo(2);
    assertThat(result.notifications(false)).isEqualTo(1);
  }

  @Test
  void aNotificationIsDescribedFromPendingToItsResolution() {
    assertThat(n(1, 3, 9).describe())
        .isEqualTo(
            "pending 2026-12-01T00:01:00Z, firing 2026-12-01T00:03:00Z .. 2026-12-01T00:09:00Z");
    assertThat(new Backtest.Notification(at(1), at(3), null).describe())
        .endsWith(".. still firing at the end");
  }

  @Test
  void ofTwoNotificationsOfOneIncidentTheOneThatFiredFirstDetectsItTheFirstRuleOnATie()
      throws Exception {
    Slo slo = CatalogSlos.availability();
    Incident outage = new Incident("outage", at(10), at(30));

    Score earlierTicket =
        Score.of(
            result(
                slo,
                alert("SloBurnRatePage", "critical", "1h", n(11, 15, 40)),
                alert("SloBurnRateTicket", "warning", "1d", n(12, 13, 50))),
            List.of(outage));
    Score tie =
        Score.of(
            result(
                slo,
                alert("SloBurnRatePage", "critical", "1h", n(11, 14, 40)),
                alert("SloBurnRatePage", "critical", "6h", n(12, 14, 45))),
            List.of(outage));

    assertThat(earlierTicket.detections().getFirst().alert()).isEqualTo("SloBurnRateTicket 1d/5m");
    assertThat(earlierTicket.detections().getFirst().detect()).isEqualTo(Duration.ofMinutes(3));
    assertThat(earlierTicket.detections().getFirst().reset()).isEqualTo(Duration.ofMinutes(20));
    assertThat(tie.detections().getFirst().alert()).isEqualTo("SloBurnRatePage 1h/5m");
  }

  private static Backtest.Result result(Slo slo, Backtest.AlertResult... alerts) {
    return new Backtest.Result(slo, at(0), at(100), 0, 100, 0, List.of(alerts), Map.of());
  }

  private static Backtest.AlertResult alert(
      String name, String severity, String longWindow, Backtest.Notification... notifications) {
    Map<String, String> labels =
        longWindow == null
            ? Map.of("severity", severity)
            : Map.of("severity", severity, "long_window", longWindow, "short_window", "5m");
    return new Backtest.AlertResult(
        name, labels, PromDuration.parse("0s"), List.of(notifications), Set.of());
  }

  private static Backtest.Notification n(int pending, int firing, int resolved) {
    return new Backtest.Notification(at(pending), at(firing), at(resolved));
  }

  private static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  private static String drill(String name, int faultAt, int clearedAt) {
    return "{\"drill\":\""
        + name
        + "\",\"faultAt\":\""
        + at(faultAt)
        + "\",\"faultClearedAt\":\""
        + at(clearedAt)
        + "\",\"budgets\":[]}";
  }
}
