package dev.vigil.drills.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-not-fire watch on a recorded 20 s phase from 10:00:00 ({@code
 * recorded-alerts/must-not-fire.json}), polled every 500 ms on a clock the poll advances: an alert
 * firing since 09:40:00 is set aside as not judged, an alert pending at 10:00:05 is caught when it
 * fires at 10:00:08 (not while pending), an alert that fired between two polls is found in the
 * {@code ALERTS} history at 10:00:13, and an alert that never fired stays quiet.
 */
class QuietWatchTest {

  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path dir;

  @Test
  void catchesAnAlertFiringAtAPollOrBetweenPollsAndSetsAsideOneFiringBefore() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (RecordedAlertApis apis = RecordedAlertApis.replay("must-not-fire.json", START, dir)) {
      QuietWatch quiet =
          new QuietWatch(
              List.of(
                  new Drill.AlertMatch("SloBurnRateTicket", Map.of("long_window", "3d")),
                  new Drill.AlertMatch("HighLatency", Map.of("service", "catalog")),
                  new Drill.AlertMatch("CatalogDown", Map.of()),
                  new Drill.AlertMatch("PaymentsDown", Map.of())),
              apis.prometheus(),
              apis.clock(),
              new PrintStream(printed, true, StandardCharsets.UTF_8));

      quiet.setAsideAlreadyFiring();
      Instant end = START.plusSeconds(20);
      quiet.watchUntil(apis.poll(), end);
      quiet.searchHistory(START, end, 1);

      assertThat(quiet.results())
          .containsExactly(
              new DrillReport.QuietResult(
                  "HighLatency{service=catalog}", Instant.parse("2026-12-07T10:00:08Z"), null),
              new DrillReport.QuietResult(
                  "CatalogDown", Instant.parse("2026-12-07T10:00:13Z"), null),
              new DrillReport.QuietResult("PaymentsDown", null, null),
              new DrillReport.QuietResult(
                  "SloBurnRateTicket{long_window=3d}",
                  null,
                  Instant.parse("2026-12-07T09:40:00Z")));
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains(
              "  SloBurnRateTicket{long_window=3d} is already firing (since 2026-12-07T09:40:00Z):"
                  + " this drill cannot judge whether it would fire",
              "  HighLatency{service=catalog} fired although the drill says it must not");
    }
  }
}
