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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SRE Workbook's measures as the backtest scores them, on timelines written out by hand here:
 * which notification detects which incident, precision and recall, and which incidents an SLO is
 * scored against (a drill's report says which budgets it burns).
 */
class ScoreTest {

  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  @TempDir Path dir;

  private static Instant at(int minute) {
    return T0.plus(Duration.ofMinutes(minute));
  }

  private static Backtest.Result result(Slo slo, Backtest.Notification... notifications) {
    Set<Instant> firing = new TreeSet<>();
    Backtest.AlertResult page =
        new Backtest.AlertResult(
            "SloBurnRatePage",
            Map.of("severity", "critical", "long_window", "1h", "short_window", "5m"),
            PromDuration.parse("2m"),
            List.of(notifications),
            firing);
    return new Backtest.Result(slo, at(0), at(120), 1, 99, 100, List.of(page), Map.of());
  }

  @Test
  void aNotificationDetectsTheIncidentInWhichItWentPendingEvenWhenItFiresAfterTheIncident()
      throws Exception {
    Incident blip = new Incident("blip", at(10), at(11));
    // pending during the blip, firing after its end plus the grace (a long for): still its
    Backtest.Notification late = new Backtest.Notification(at(11), at(30), at(40));
    // pending long after the incident: a false positive
    Backtest.Notification stray = new Backtest.Notification(at(60), at(62), at(70));

    Score score = Score.of(result(CatalogSlos.availability(), late, stray), List.of(blip));

    assertThat(score.detections())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.alert()).isEqualTo("SloBurnRatePage 1h/5m");
              assertThat(d.detect()).isEqualTo(Duration.ofMinutes(20));
              assertThat(d.reset()).isEqualTo(Duration.ofMinutes(29));
            });
    assertThat(score.recall()).isEqualTo(1.0);
    assertThat(score.precision()).isEqualTo(0.5);
  }

  @Test
  void aNotificationAlreadyPendingWhenTheIncidentBeganDoesNotDetectIt() throws Exception {
    Incident outage = new Incident("outage", at(10), at(20));
    Backtest.Notification before = new Backtest.Notification(at(5), at(7), at(25));

    Score score = Score.of(result(CatalogSlos.availability(), before), List.of(outage));

    assertThat(score.recall()).isZero();
    assertThat(score.precision()).isZero();
  }

  @Test
  void aNotificationDetectsOnlyTheEarliestIncidentWhoseWindowHoldsIt() throws Exception {
    // a burst of errors, then 30 s later an outage that answers no request: the page that goes
    // pending a minute into the outage was caused by the burst
    Incident burst = new Incident("burst", at(10), at(10));
    Incident outage = new Incident("outage", at(10).plusSeconds(30), at(12));
    Backtest.Notification page = new Backtest.Notification(at(11), at(11), at(20));

    Score score = Score.of(result(CatalogSlos.availability(), page), List.of(outage, burst));

    assertThat(score.detections())
        .extracting(d -> d.incident().name() + ": " + d.alert())
        .containsExactly("burst: SloBurnRatePage 1h/5m", "outage: null");
    assertThat(score.recall()).isEqualTo(0.5);
    assertThat(score.precision()).isEqualTo(1.0);
  }

  @Test
  void anSloIsScoredOnlyAgainstTheIncidentsThatConcernItsBudget() throws Exception {
    Path report =
        Files.writeString(
            dir.resolve("client-error-flood-20261207T120000Z.json"),
            """
            {"drill":"client-error-flood","faultAt":"2026-12-07T12:10:00Z",
             "faultClearedAt":"2026-12-07T12:12:00Z",
             "budgets":[{"slo":"availability","consumed":0.0,"expectBurns":false},
                        {"slo":"latency","consumed":0.01,"expectBurns":false}]}
            """);
    Files.writeString(
        dir.resolve("server-error-burst-20261207T123000Z.json"),
        """
        {"drill":"server-error-burst","faultAt":"2026-12-07T12:30:00Z",
         "faultClearedAt":"2026-12-07T12:31:00Z",
         "budgets":[{"slo":"availability","consumed":0.5,"expectBurns":null},
                    {"slo":"uptime","consumed":0.0,"expectBurns":null}]}
        """);
    Files.writeString(dir.resolve("notes.md"), "not a report");

    List<Incident> drills = Incident.read(dir);
    assertThat(drills)
        .extracting(Incident::name)
        .containsExactly("client-error-flood (drill)", "server-error-burst (drill)");
    assertThat(Incident.read(report).get(0).concerns("availability"))
        .as("a drill that must not burn the budget does not excuse a page")
        .isFalse();
    assertThat(drills.get(1).slos())
        .as("a drill concerns the budgets it burned, not those it left alone")
        .containsExactly("availability");

    // a page during the client-error flood is a false positive; the burst is detected
    Score score =
        Score.of(
            result(
                CatalogSlos.availability(),
                new Backtest.Notification(at(10), at(12), at(15)),
                new Backtest.Notification(at(30), at(32), at(40))),
            drills);
    assertThat(score.detections()).hasSize(1);
    assertThat(score.recall()).isEqualTo(1.0);
    assertThat(score.precision()).isEqualTo(0.5);
  }

  @Test
  void anIncidentFileNamesTheEntryAndFieldThatIsWrong() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("incidents.yaml"),
            """
            incidents:
              - name: checkout outage
                start: 2026-12-07T12:00:00Z
                end: 2026-12-07T12:30:00Z
                slos: [availability]
              - name: bad
                start: yesterday
                end: 2026-12-07T12:30:00Z
            """);

    assertThatThrownBy(() -> Incident.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incidents.yaml: incident 2: start 'yesterday' is not an ISO-8601")
        .hasMessageContaining("Fix:");
  }
}
