package dev.vigil.drills.run;

import dev.vigil.drills.budget.BudgetChange;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.prometheus.PrometheusClient;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The budget wait: under the baseline load, before the fault, waits until every SLO a drill judges
 * has its {@code slo:error_budget_remaining:ratio} series, since a freshly started stack has not
 * evaluated its SLO rules yet; at most a bound ({@link
 * dev.vigil.drills.drill.DrillTiming#budgetSeriesWait()}), after which the drill injects nothing.
 * It says on the progress output what it waits for, and how long it took.
 */
final class BudgetWait {

  /** The budget series of a judged SLO did not appear in time: the fault is not injected. */
  static final class SeriesMissing extends RuntimeException {
    SeriesMissing(String message) {
      super(message);
    }
  }

  private final PrometheusClient prometheus;
  private final Duration bound;
  private final PrintStream progress;
  private boolean announced;

  /**
   * A wait against one Prometheus.
   *
   * @param prometheus where the series are recorded
   * @param bound the longest wait
   * @param progress where the wait is announced
   */
  BudgetWait(PrometheusClient prometheus, Duration bound, PrintStream progress) {
    this.prometheus = prometheus;
    this.bound = bound;
    this.progress = progress;
  }

  /**
   * Waits for the series; looks at the must-not-fire alerts at every poll meanwhile.
   *
   * @param drill the drill's name, for the progress lines
   * @param judged the SLOs the drill has a budget expectation for, distinct; none waits for nothing
   * @param poll the poll step
   * @param quiet the must-not-fire watch
   * @throws SeriesMissing when the wait runs out, naming the series and what to check
   */
  void await(String drill, List<String> judged, PollStep poll, QuietWatch quiet) {
    if (judged.isEmpty()) {
      return;
    }
    Instant start = poll.now();
    announced = false;
    poll.until(
        "waiting for the error budget",
        ignored -> {
          List<String> missing = judged.stream().filter(slo -> !recorded(slo, poll.now())).toList();
          Duration waited = Duration.between(start, poll.now());
          if (missing.isEmpty()) {
            if (announced) {
              progress.println(
                  drill
                      + ": error budget series recorded after "
                      + DrillReport.seconds(waited)
                      + "; injecting the fault");
            }
            return Optional.empty();
          }
          String series = String.join(", ", missing.stream().map(BudgetChange::selector).toList());
          if (waited.compareTo(bound) > 0) {
            throw new SeriesMissing(
                series
                    + " (the error budget this drill judges) was still not recorded "
                    + bound.toSeconds()
                    + " s after the baseline load ended. Prometheus records it once the SLI has"
                    + " traffic, two scrapes and an evaluation of the SLO rules: check that"
                    + " Prometheus loaded deploy/prometheus/rules/generated/ (its /rules page) and"
                    + " that the SLI has data (./vigil slo report), then run the drill again");
          }
          if (!announced) {
            progress.println(
                drill
                    + ": waiting up to "
                    + bound.toSeconds()
                    + " s for "
                    + series
                    + " (a freshly started stack has not evaluated its SLO rules yet)");
            announced = true;
          }
          quiet.look();
          return Optional.of(series);
        });
  }

  private boolean recorded(String slo, Instant now) {
    try {
      return prometheus.value(BudgetChange.selector(slo), now).isPresent();
    } catch (IOException e) {
      return false; // asked again at the next poll
    }
  }
}
