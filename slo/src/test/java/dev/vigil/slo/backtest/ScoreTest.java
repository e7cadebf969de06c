package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.prometheus.PromDuration;
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
 * How {@code vigil slo backtest} scores alerts against known incidents: the SRE Workbook's
 * precision, recall, detection and reset times, worked out by hand on small timelines, and the
 * incidents file it reads them from.
 */
class ScoreTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void theEarliestNotificationWithinAnIncidentDetectsItAndItsResolutionGivesTheResetTime() {
    Incident outage = new Incident("outage", at(10), at(20));
    Backtest.Result result =
        result(
            alert("SloBurnRatePage", "1h", "5m", notification(14, 25)),
            alert("SloBurnRatePage", "6h", "30m", notification(12, null)),
            alert("SloBurnRateTicket", "1d", "2h", notification(13, 40)));

    Score score = Score.of(result, List.of(outage));

    assertThat(score.detections())
        .containsExactly(
            new Score.Detection(outage, "SloBurnRatePage 6h/30m", Duration.ofMinutes(2), null));
    assertThat(score.recall()).isEqualTo(1.0);
    assertThat(score.precision()).isEqualTo(1.0);
  }

  @Test
  void whenTwoAlertsFireInTheSameMinuteTheFirstInRuleOrderIsNamedAsTheDetection() {
    Incident outage = new Incident("outage", at(10), at(20));
    Backtest.Result result =
        result(
            alert("SloBurnRatePage", "1h", "5m", notification(11, 15)),
            alert("SloBurnRatePage", "6h", "30m", notification(11, 30)));

    assertThat(Score.of(result, List.of(outage)).detections().getFirst().alert())
        .as("the generated group lists the fastest page first")
        .isEqualTo("SloBurnRatePage 1h/5m");
  }

  @Test
  void aNotificationUpToFiveMinutesAfterTheEndStillBelongsToTheIncidentOneMinuteMoreDoesNot() {
    Incident blip = new Incident("blip", at(10), at(12));
    Backtest.Result result =
        result(
            alert("SloBurnRatePage", "1h", "5m", notification(17, 30)),
            alert("SloBurnRateTicket", "1d", "2h", notification(18, 31)));

    Score score = Score.of(result, List.of(blip));

    assertThat(score.detections().getFirst().alert()).isEqualTo("SloBurnRatePage 1h/5m");
    assertThat(score.detections().getFirst().detect()).isEqualTo(Duration.ofMinutes(7));
    assertThat(score.detections().getFirst().reset()).isEqualTo(Duration.ofMinutes(18));
    assertThat(score.notifications()).isEqualTo(2);
    assertThat(score.belonging()).isEqualTo(1);
    assertThat(score.precision()).isEqualTo(0.5);
  }

  @Test
  void aNotificationAlreadyFiringWhenTheIncidentBeganDoesNotDetectIt() {
    Incident second = new Incident("second", at(30), at(40));
    Backtest.Result result = result(alert("SloBurnRatePage", "1h", "5m", notification(29, 45)));

    Score score = Score.of(result, List.of(second));

    assertThat(score.detections()).containsExactly(new Score.Detection(second, null, null, null));
    assertThat(score.recall()).isEqualTo(0.0);
    assertThat(score.precision()).as("the one notification belongs to nothing").isEqualTo(0.0);
  }

  @Test
  void recallCountsIncidentsWithANotificationAndIsUndefinedWithoutIncidents() {
    Incident first = new Incident("first", at(0), at(5));
    Incident missed = new Incident("missed", at(100), at(110));
    Incident third = new Incident("third", at(200), at(210));
    Backtest.Result result =
        result(alert("SloBurnRatePage", "1h", "5m", notification(1, 6), notification(201, 215)));

    assertThat(Score.of(result, List.of(first, missed, third)).recall()).isEqualTo(2.0 / 3);
    assertThat(Score.of(result, List.of()).recall()).isNaN();
    assertThat(Score.of(result(), List.of(first)).precision())
        .as("no notification: precision undefined")
        .isNaN();
  }

  @Test
  void incidentsAreReadFromAListAtTheTopOrUnderIncidentsOldestFirst() throws Exception {
    Path top = dir.resolve("top.yaml");
    Files.writeString(
        top,
        """
        - name: db failover
          start: 2026-12-02T10:00:00Z
          end: 2026-12-02T10:20:00Z
        - start: 2026-12-01T08:00:00Z
          end: 2026-12-01T08:05:00Z
        """);
    Path nested = dir.resolve("nested.yaml");
    Files.writeString(
        nested,
        """
        incidents:
          - {name: one, start: "2026-12-01T08:00:00Z", end: "2026-12-01T08:00:00Z"}
        """);

    assertThat(Incident.read(top))
        .containsExactly(
            new Incident(
                "incident 2",
                Instant.parse("2026-12-01T08:00:00Z"),
                Instant.parse("2026-12-01T08:05:00Z")),
            new Incident(
                "db failover",
                Instant.parse("2026-12-02T10:00:00Z"),
                Instant.parse("2026-12-02T10:20:00Z")));
    assertThat(Incident.read(nested))
        .as("an incident may end when it starts")
        .extracting(Incident::name)
        .containsExactly("one");
  }

  @Test
  void aWrongIncidentsFileNamesTheFileTheEntryAndTheField() throws Exception {
    Path notAList = dir.resolve("map.yaml");
    Files.writeString(notAList, "name: x\n");
    Path backwards = dir.resolve("backwards.yaml");
    Files.writeString(
        backwards,
        "- {start: 2026-12-01T08:00:00Z, end: 2026-12-01T09:00:00Z}\n"
            + "- {start: 2026-12-01T10:00:00Z, end: 2026-12-01T09:59:59Z}\n");
    Path badInstant = dir.resolve("bad.yaml");
    Files.writeString(badInstant, "- {start: yesterday, end: 2026-12-01T09:00:00Z}\n");

    assertThatThrownBy(() -> Incident.read(notAList))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(notAList + ": expected a list of incidents");
    assertThatThrownBy(() -> Incident.read(backwards))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            backwards
                + ": incident 2: end 2026-12-01T09:59:59Z is before start 2026-12-01T10:00:00Z");
    assertThatThrownBy(() -> Incident.read(badInstant))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(badInstant + ": incident 1: start 'yesterday' is not an ISO-8601")
        .hasMessageContaining("2026-12-07T13:05:00Z");
  }

  private static Backtest.Result result(Backtest.AlertResult... alerts) {
    return new Backtest.Result(null, at(0), at(300), 0, 100, 0, List.of(alerts));
  }

  private static Backtest.AlertResult alert(
      String name, String longWindow, String shortWindow, Backtest.Notification... notifications) {
    return new Backtest.AlertResult(
        name,
        Map.of("long_window", longWindow, "short_window", shortWindow),
        PromDuration.parse("0s"),
        List.of(notifications),
        Set.of());
  }

  private static Backtest.Notification notification(int firing, Integer resolved) {
    return new Backtest.Notification(at(firing), resolved == null ? null : at(resolved));
  }

  private static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }
}
