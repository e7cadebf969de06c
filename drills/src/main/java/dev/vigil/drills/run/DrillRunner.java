package dev.vigil.drills.run;

import dev.vigil.drills.budget.BudgetChange;
import dev.vigil.drills.drill.BaselineLoad;
import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillTiming;
import dev.vigil.drills.drill.DrillTraffic;
import dev.vigil.drills.fault.Fault;
import dev.vigil.drills.fault.FaultPlan;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a {@link Drill} against a running system and checks every expectation at each hop: the alert
 * turns pending and firing in Prometheus ({@code /api/v1/alerts}), Alertmanager routes it to the
 * expected receiver ({@code /api/v2/alerts}), the local receiver records the firing notification
 * (JSONL), and after recovery the resolved notification ({@link AlertWatch}). Alerts that must not
 * fire are watched the whole time and checked once more in Prometheus's {@code ALERTS} history at
 * the end ({@link QuietWatch}). Each SLO's error budget is read from {@code
 * slo:error_budget_remaining:ratio} ({@link BudgetChange}) when the fault starts and after the last
 * resolution.
 *
 * <p>Phases, each waiting in the one {@link PollStep} (every 500 ms): baseline load for {@code
 * load.duration} ({@link QuietWatch#watchUntil}); then, still under the baseline load, the {@link
 * BudgetWait} (at most {@link DrillTiming#budgetSeriesWait()}) until every SLO the drill judges has
 * its budget series (the drill fails without injecting anything when the wait runs out); fault;
 * wait until every expected alert is notified (each within its deadline, {@link
 * DrillTiming#notifyDeadline}) and the fault's {@code hold} has passed; recovery (fault cleared or
 * service restarted, then the dilution sent); wait for every resolved notification, each within
 * {@link DrillTiming#resolveDeadline} of the recovery's end. The {@link ProgressTicker} prints a
 * line (phase, elapsed, what is awaited) at least every {@link #PROGRESS_EVERY}.
 */
public final class DrillRunner {

  /** Longest time between two progress lines. */
  public static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private final PrometheusClient prometheus;
  private final AlertmanagerClient alertmanager;
  private final NotificationLog notifications;
  private final DrillTiming timing;
  private final PrintStream progress;
  private final Clock clock = Clock.systemUTC();

  /**
   * A runner against one system.
   *
   * @param prometheus its Prometheus
   * @param alertmanager its Alertmanager
   * @param notifications the local receiver's log (what reached each receiver)
   * @param timing the profile's timing and the rules of deploy/
   * @param progress where progress lines go
   */
  public DrillRunner(
      PrometheusClient prometheus,
      AlertmanagerClient alertmanager,
      NotificationLog notifications,
      DrillTiming timing,
      PrintStream progress) {
    this.prometheus = prometheus;
    this.alertmanager = alertmanager;
    this.notifications = notifications;
    this.timing = timing;
    this.progress = progress;
  }

  /** When the drill's phases began and ended; null for a phase never reached. */
  private static final class Span {
    Instant startedAt;
    Instant faultAt;
    Instant clearedAt;
  }

  /**
   * Runs the drill.
   *
   * @param drill the drill
   * @param plan how its fault is performed here
   * @return the report; {@link DrillReport#passed()} is the verdict
   * @throws IOException when Prometheus does not answer before the drill starts
   */
  public DrillReport run(Drill drill, FaultPlan plan) throws IOException {
    Span span = new Span();
    span.startedAt = clock.instant();
    List<String> problems = new ArrayList<>();
    QuietWatch quiet = new QuietWatch(drill.mustNotFire(), prometheus, clock, progress);
    AlertWatch alerts =
        new AlertWatch(
            drill.expect().stream()
                .map(
                    e ->
                        new WatchedAlert(
                            e, WatchedAlert.Times.of(timing, e, drill.recovery()), progress))
                .toList(),
            prometheus,
            alertmanager,
            notifications::readAll,
            quiet,
            clock);
    Set<String> loaded =
        prometheus.alertRules().stream()
            .map(PrometheusClient.AlertRule::name)
            .collect(Collectors.toSet());
    boolean refused = alerts.refuseUnknown(loaded);
    Map<String, Double> budgetBefore = new LinkedHashMap<>();
    quiet.setAsideAlreadyFiring();
    if (refused) {
      budgetBefore.putAll(budgets(span.startedAt));
      return report(drill, plan, span, alerts, quiet, budgetBefore, problems);
    }
    try (ProgressTicker ticker = new ProgressTicker(progress, drill.name(), span.startedAt);
        BaselineLoad load = new BaselineLoad(plan.service(), drill.load());
        Fault fault = plan.faultOf(drill)) {
      PollStep poll = new PollStep(clock, PollStep.INTERVAL, Thread::sleep, ticker);
      Duration baseline = drill.load().duration().toDuration();
      progress.printf(
          "%s: profile %s, baseline load %.1f req/s for %d s%n",
          drill.name(), timing.name(), drill.load().rate(), baseline.toSeconds());
      quiet.watchUntil(poll, span.startedAt.plus(baseline));
      new BudgetWait(prometheus, timing.budgetSeriesWait(), progress)
          .await(
              drill.name(),
              drill.budget().stream().map(Drill.BudgetExpectation::slo).distinct().toList(),
              poll,
              quiet);

      Instant faultAt = clock.instant();
      span.faultAt = faultAt;
      budgetBefore.putAll(budgets(faultAt));
      long sentBeforeFault = load.sent();
      fault.inject();
      progress.println(drill.name() + ": fault started: " + FaultPlan.describe(drill.fault()));
      Duration hold =
          drill.fault() == null || drill.fault().hold() == null
              ? Duration.ZERO
              : drill.fault().hold().toDuration();
      poll.until(
          "fault",
          now -> {
            Optional<String> awaited = alerts.awaitingNotifications(now, faultAt);
            if (awaited.isPresent() || !now.isBefore(faultAt.plus(hold))) {
              return awaited;
            }
            return Optional.of("the fault's hold of " + hold.toSeconds() + " s");
          });

      progress.println(drill.name() + ": recovering");
      ticker.tick("recovery", "the fault's recovery (fault cleared, service restarted or diluted)");
      long duringFault = load.sent() - sentBeforeFault + fault.requestsSent();
      fault.recover();
      Instant clearedAt = clock.instant();
      span.clearedAt = clearedAt;
      progress.println(drill.name() + ": fault cleared");
      if (dilute(drill, plan, duringFault)) {
        progress.printf(
            "%s: dilution sent in %.1f s%n",
            drill.name(), Duration.between(clearedAt, clock.instant()).toMillis() / 1000.0);
      }
      // Each resolve deadline counts from the end of the recovery: the fault cleared (or the
      // service back) and the dilution sent. The dilution's own duration is no part of the
      // alerting path the prediction models, and varies with the machine and the topology (20,000
      // requests took about 50 s through HAProxy to two catalogs on PostgreSQL on a loaded
      // machine, more than server-error-burst's whole 38 s deadline for HighErrorRate on the ha
      // profile). A resolution that comes while the dilution is still being sent counts as well.
      Instant recoveredAt = clock.instant();
      poll.until(
          "recovery",
          now -> {
            alerts.lookForResolutions(clearedAt);
            quiet.look();
            return alerts.awaitingResolutions(now, recoveredAt);
          });
    } catch (BudgetWait.SeriesMissing e) {
      problems.add("the fault was not injected: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.add(
          (span.faultAt == null ? "the fault could not be injected: " : "the drill broke off: ")
              + e.getMessage());
    }
    return report(drill, plan, span, alerts, quiet, budgetBefore, problems);
  }

  /**
   * The seed's load step after the fault ({@code ab -n 10000 -c 100 /}): {@code recovery.dilute}
   * good requests per request sent during the fault, with 4 workers, to the first path of the load
   * mix, so that 5-minute ratios fall below their thresholds before the window passes.
   *
   * @return whether any request was sent
   */
  private boolean dilute(Drill drill, FaultPlan plan, long duringFault) {
    long count =
        Math.min(
            (long) drill.recovery().dilute() * duringFault, DrillTraffic.MAX_REQUESTS_PER_CALL);
    if (count <= 0) {
      return false;
    }
    Drill.MixEntry first =
        drill.load().mix().isEmpty()
            ? new Drill.MixEntry("/", 1, null, null)
            : drill.load().mix().getFirst();
    progress.println(drill.name() + ": diluting with " + count + " requests to " + first.path());
    DrillTraffic.concurrent(
        plan.service().resolve(first.path()), first.method(), first.body(), (int) count, 4);
    return true;
  }

  private DrillReport report(
      Drill drill,
      FaultPlan plan,
      Span span,
      AlertWatch alerts,
      QuietWatch quiet,
      Map<String, Double> budgetBefore,
      List<String> problems) {
    Instant endedAt = clock.instant();
    quiet.searchHistory(
        span.startedAt, endedAt, Math.max(1, timing.evaluationInterval().seconds()));
    Map<String, Double> budgetAfter = budgets(endedAt);
    List<DrillReport.BudgetResult> budgets = new ArrayList<>();
    for (BudgetChange change :
        BudgetChange.between(
            budgetBefore,
            budgetAfter,
            drill.budget().stream().map(Drill.BudgetExpectation::slo).toList())) {
      // a drill that injected nothing (it failed before its fault) judges no budget: what the
      // series recorded meanwhile (e.g. the last minute of an earlier drill) is not its doing
      Boolean burns =
          span.faultAt == null
              ? null
              : drill.budget().stream()
                  .filter(b -> b.slo().equals(change.slo()))
                  .map(Drill.BudgetExpectation::burns)
                  .findFirst()
                  .orElse(null);
      budgets.add(DrillReport.BudgetResult.judge(change, burns));
    }
    return new DrillReport(
        drill.name(),
        drill.description().strip(),
        timing.name(),
        plan.service().toString(),
        span.startedAt,
        span.faultAt,
        span.faultAt == null ? null : firstBadSample(drill, span.faultAt, endedAt),
        span.clearedAt,
        endedAt,
        alerts.results(),
        quiet.results(),
        budgets,
        problems);
  }

  private Instant firstBadSample(Drill drill, Instant faultAt, Instant endedAt) {
    if (drill.signal() == null) {
      return null;
    }
    try {
      // 1 s steps (each step sees the latest scraped sample), so the first bad scrape is dated to
      // the second rather than to the scrape interval after the fault; Prometheus allows 11000
      // points
      double step = Math.max(1, Duration.between(faultAt, endedAt).toSeconds() / 11_000.0);
      return prometheus.range(drill.signal(), faultAt, endedAt, step).stream()
          .flatMap(s -> s.points().stream())
          .filter(p -> p.value() > 0)
          .map(p -> Instant.ofEpochMilli(Math.round(p.epochSeconds() * 1000)))
          .min(Instant::compareTo)
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Remaining budget (fraction) per SLO name at an instant, from the recorded series. */
  private Map<String, Double> budgets(Instant now) {
    try {
      return BudgetChange.remaining(prometheus, now);
    } catch (IOException e) {
      return Map.of(); // reported as not recorded
    }
  }
}
