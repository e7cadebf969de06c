package dev.vigil.drills.run;

import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.prometheus.PrometheusClient;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The must-not-fire watch: the alerts a drill says must not fire, looked for among the firing
 * alerts of Prometheus's {@code /api/v1/alerts} at every poll of every phase, and once more at the
 * end in Prometheus's {@code ALERTS} history, which catches a firing between two polls. An alert
 * already firing when the drill starts (e.g. a slow burn-rate tier of an earlier incident) cannot
 * be judged; the report lists it as such.
 */
final class QuietWatch {

  private final PrometheusClient prometheus;
  private final Clock clock;
  private final PrintStream progress;

  /** Each watched alert and when it was first seen firing, null while quiet. */
  private final Map<Drill.AlertMatch, Instant> firedAt = new LinkedHashMap<>();

  /** The alerts firing before the drill started, with their {@code activeAt}. */
  private final Map<Drill.AlertMatch, Instant> firingBefore = new LinkedHashMap<>();

  /**
   * A watch over a drill's must-not-fire alerts.
   *
   * @param mustNotFire the drill's {@code mustNotFire}
   * @param prometheus where to look
   * @param clock dates a firing seen at a poll
   * @param progress where a firing is announced
   */
  QuietWatch(
      List<Drill.AlertMatch> mustNotFire,
      PrometheusClient prometheus,
      Clock clock,
      PrintStream progress) {
    this.prometheus = prometheus;
    this.clock = clock;
    this.progress = progress;
    mustNotFire.forEach(m -> firedAt.put(m, null));
  }

  /**
   * Sets aside the watched alerts that are firing already, before the drill does anything: they are
   * no longer watched and are reported with their {@code activeAt} (or now, when Prometheus gave
   * none that parses).
   *
   * @throws IOException when Prometheus does not answer
   */
  void setAsideAlreadyFiring() throws IOException {
    if (firedAt.isEmpty()) {
      return;
    }
    List<PrometheusClient.ActiveAlert> active = prometheus.alerts();
    for (Drill.AlertMatch m : List.copyOf(firedAt.keySet())) {
      active.stream()
          .filter(a -> a.firing() && m.matches(a.name(), a.labels()))
          .findFirst()
          .ifPresent(
              a -> {
                Instant since;
                try {
                  since = Instant.parse(a.activeAt());
                } catch (RuntimeException e) {
                  since = clock.instant();
                }
                firingBefore.put(m, since);
                firedAt.remove(m);
                progress.println(
                    "  "
                        + m
                        + " is already firing (since "
                        + a.activeAt()
                        + "): this drill cannot judge whether it would fire");
              });
    }
  }

  /** One look at Prometheus's alerts; a Prometheus that does not answer is asked at the next. */
  void look() {
    if (firedAt.isEmpty()) {
      return;
    }
    try {
      record(prometheus.alerts(), clock.instant());
    } catch (IOException e) {
      // the ALERTS history is checked at the end
    }
  }

  /**
   * The baseline phase: looks at every poll until an instant (the end of the baseline load).
   *
   * @param poll the poll step
   * @param end the instant the phase ends at, e.g. the drill's start plus {@code load.duration}
   */
  void watchUntil(PollStep poll, Instant end) {
    poll.until(
        "baseline",
        now -> {
          if (!now.isBefore(end)) {
            return Optional.empty();
          }
          look();
          return Optional.of("end of the baseline load");
        });
  }

  /**
   * Records the watched alerts firing in an answer of {@code /api/v1/alerts} fetched by another
   * watch (the alert watch shares its look).
   *
   * @param active the alerts Prometheus holds
   * @param now when they were fetched
   */
  void record(List<PrometheusClient.ActiveAlert> active, Instant now) {
    for (Map.Entry<Drill.AlertMatch, Instant> e : firedAt.entrySet()) {
      if (e.getValue() == null
          && active.stream()
              .anyMatch(a -> a.firing() && e.getKey().matches(a.name(), a.labels()))) {
        e.setValue(now);
        progress.println("  " + e.getKey() + " fired although the drill says it must not");
      }
    }
  }

  /**
   * Searches Prometheus's {@code ALERTS} history over the drill for the alerts no poll saw firing;
   * the first sample above 0 dates the firing. A Prometheus that does not answer leaves the polls'
   * verdict standing.
   *
   * @param from the drill's start
   * @param to the drill's end
   * @param stepSeconds the range query's step in seconds, at least 1 (the evaluation interval)
   */
  void searchHistory(Instant from, Instant to, double stepSeconds) {
    for (Map.Entry<Drill.AlertMatch, Instant> e : firedAt.entrySet()) {
      if (e.getValue() != null) {
        continue;
      }
      try {
        prometheus.range(e.getKey().alertsSelector("firing"), from, to, stepSeconds).stream()
            .flatMap(s -> s.points().stream())
            .filter(p -> p.value() > 0)
            .findFirst()
            .ifPresent(p -> e.setValue(Instant.ofEpochMilli(Math.round(p.epochSeconds() * 1000))));
      } catch (IOException ex) {
        // the polls during the drill stand
      }
    }
  }

  /**
   * The verdicts: the watched alerts in the drill's order, then those already firing.
   *
   * @return one result per must-not-fire alert
   */
  List<DrillReport.QuietResult> results() {
    List<DrillReport.QuietResult> out = new ArrayList<>();
    firedAt.forEach((m, at) -> out.add(new DrillReport.QuietResult(m.toString(), at, null)));
    firingBefore.forEach((m, at) -> out.add(new DrillReport.QuietResult(m.toString(), null, at)));
    return out;
  }
}
