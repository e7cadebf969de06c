package dev.vigil.drills.drill;

import dev.vigil.drills.budget.BudgetChange;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Runs a {@link Drill} against a running system and checks every expectation at each hop: the alert
 * turns pending and firing in Prometheus ({@code /api/v1/alerts}), Alertmanager routes it to the
 * expected receiver ({@code /api/v2/alerts}), the local receiver records the firing notification
 * (JSONL), and after recovery the resolved notification. Alerts that must not fire are watched the
 * whole time and checked once more in Prometheus's {@code ALERTS} history at the end. Each SLO's
 * error budget is read from {@code slo:error_budget_remaining:ratio} ({@link BudgetChange}) when
 * the fault starts and after the last resolution.
 *
 * <p>Phases: baseline load for {@code load.duration}; then, still under the baseline load, a wait
 * (at most {@link DrillTiming#budgetSeriesWait()}) until every SLO the drill judges has its budget
 * series, since a freshly started stack has not evaluated its SLO rules yet (the drill fails
 * without injecting anything when the wait runs out); fault; wait until every expected alert is
 * notified (each within its deadline, {@link DrillTiming#notifyDeadline}) and the fault's {@code
 * hold} has passed; recovery; wait for every resolved notification ({@link
 * DrillTiming#resolveDeadline}). A progress line (phase, elapsed, what is awaited) is printed at
 * least every {@link #PROGRESS_EVERY}.
 */
public final class DrillRunner {

  /** Longest time between two progress lines. */
  public static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(500);

  private final PrometheusClient prometheus;
  private final AlertmanagerClient alertmanager;
  private final NotificationLog notifications;
  private final DrillTiming timing;
  private final PrintStream progress;

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

  /** Mutable state of one expected alert while the drill runs. */
  private static final class Watch {
    final Drill.ExpectedAlert expected;
    Duration predictedFiring;
    Duration predictedNotified;
    Duration deadline;
    Duration predictedResolved;
    Duration resolveDeadline;
    Instant pendingAt;
    Instant firingAt;
    List<String> routedTo = List.of();
    Instant notifiedAt;
    String severity;
    String runbook;
    Instant resolvedAt;
    String failure;

    Watch(Drill.ExpectedAlert expected) {
      this.expected = expected;
    }

    DrillReport.AlertResult result() {
      return new DrillReport.AlertResult(
          expected.describe(),
          expected.alert(),
          expected.receiver(),
          predictedFiring,
          predictedNotified,
          deadline,
          expected.mustResolve() ? predictedResolved : null,
          expected.mustResolve() ? resolveDeadline : null,
          pendingAt,
          firingAt,
          routedTo,
          notifiedAt,
          severity,
          runbook,
          resolvedAt,
          failure);
    }
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
    Instant startedAt = Instant.now();
    List<String> problems = new ArrayList<>();
    List<Watch> watches = drill.expect().stream().map(Watch::new).toList();
    Map<Drill.AlertMatch, Instant> quiet = new LinkedHashMap<>();
    drill.mustNotFire().forEach(m -> quiet.put(m, null));

    TreeSet<String> loaded = new TreeSet<>();
    prometheus.alertRules().forEach(r -> loaded.add(r.name()));
    for (Watch w : watches) {
      w.predictedFiring = timing.predictedFiring(w.expected).orElse(null);
      w.predictedNotified = timing.predictedNotified(w.expected).orElse(null);
      w.deadline = timing.notifyDeadline(w.expected).orElse(null);
      w.predictedResolved = timing.predictedResolved(w.expected, drill.recovery());
      w.resolveDeadline = timing.resolveDeadline(w.expected, drill.recovery());
      if (!loaded.contains(w.expected.alert())) {
        w.failure =
            "Prometheus has no alerting rule named "
                + w.expected.alert()
                + " loaded, so it can never fire; check the rules under"
                + " deploy/prometheus/rules/ and Prometheus's /rules page";
      } else if (w.deadline == null) {
        w.failure =
            "deploy/prometheus/rules/ has no rule "
                + w.expected.match()
                + " to derive a deadline from; state one with deadline:";
      }
    }
    Map<String, Double> budgetBefore = new LinkedHashMap<>();
    Map<Drill.AlertMatch, Instant> alreadyFiring = alreadyFiring(quiet.keySet());
    alreadyFiring.keySet().forEach(quiet::remove);
    if (watches.stream().anyMatch(w -> w.failure != null)) {
      budgetBefore.putAll(budgets(startedAt));
      return report(
          drill,
          plan,
          startedAt,
          null,
          null,
          watches,
          quiet,
          alreadyFiring,
          budgetBefore,
          problems);
    }

    Instant faultAt = null;
    Instant clearedAt = null;
    try (Progress ticker = new Progress(drill.name(), startedAt);
        BaselineLoad load = new BaselineLoad(plan.service(), drill.load());
        Fault fault = plan.faultOf(drill)) {
      Duration baseline = drill.load().duration().toDuration();
      progress.printf(
          "%s: profile %s, baseline load %.1f req/s for %d s%n",
          drill.name(), timing.name(), drill.load().rate(), baseline.toSeconds());
      Instant baselineEnd = startedAt.plus(baseline);
      while (Instant.now().isBefore(baselineEnd)) {
        ticker.tick("baseline", "end of the baseline load");
        watchQuiet(quiet);
        sleep();
      }
      awaitBudgetSeries(drill, ticker, quiet);

      faultAt = Instant.now();
      budgetBefore.putAll(budgets(faultAt));
      long sentBeforeFault = load.sent();
      fault.inject();
      progress.println(drill.name() + ": fault started: " + describe(drill.fault()));
      Duration hold =
          drill.fault() == null || drill.fault().hold() == null
              ? Duration.ZERO
              : drill.fault().hold().toDuration();
      while (true) {
        Instant now = Instant.now();
        observe(watches, faultAt, quiet);
        for (Watch w : watches) {
          if (w.notifiedAt == null && w.failure == null && now.isAfter(faultAt.plus(w.deadline))) {
            w.failure = notNotified(w);
          }
        }
        boolean waiting = watches.stream().anyMatch(w -> w.notifiedAt == null && w.failure == null);
        if (!waiting && !now.isBefore(faultAt.plus(hold))) {
          break;
        }
        ticker.tick(
            "fault",
            waiting ? awaited(watches, faultAt) : "the fault's hold of " + hold.toSeconds() + " s");
        sleep();
      }

      progress.println(drill.name() + ": recovering");
      ticker.tick("recovery", "the fault's recovery (fault cleared, service restarted or diluted)");
      long duringFault = load.sent() - sentBeforeFault + fault.requestsSent();
      fault.recover();
      clearedAt = Instant.now();
      progress.println(drill.name() + ": fault cleared");
      dilute(drill, plan, duringFault);
      while (true) {
        Instant now = Instant.now();
        observeResolved(watches, clearedAt);
        watchQuiet(quiet);
        for (Watch w : watches) {
          if (resolvePending(w) && now.isAfter(clearedAt.plus(w.resolveDeadline))) {
            w.failure =
                w.expected.alert()
                    + " did not resolve at receiver "
                    + w.expected.receiver()
                    + " within "
                    + w.resolveDeadline.toSeconds()
                    + " s of the fault's end (predicted "
                    + DrillReport.seconds(w.predictedResolved)
                    + ")";
          }
        }
        List<Watch> left = watches.stream().filter(DrillRunner::resolvePending).toList();
        if (left.isEmpty()) {
          break;
        }
        ticker.tick(
            "recovery",
            String.join(", ", left.stream().map(w -> w.expected.alert() + " resolved").toList()));
        sleep();
      }
    } catch (BudgetSeriesMissing e) {
      problems.add("the fault was not injected: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.add(
          (faultAt == null ? "the fault could not be injected: " : "the drill broke off: ")
              + e.getMessage());
    }
    return report(
        drill,
        plan,
        startedAt,
        faultAt,
        clearedAt,
        watches,
        quiet,
        alreadyFiring,
        budgetBefore,
        problems);
  }

  /**
   * The seed's load step after the fault ({@code ab -n 10000 -c 100 /}): {@code recovery.dilute}
   * good requests per request sent during the fault, with 4 workers, to the first path of the load
   * mix, so that 5-minute ratios fall below their thresholds before the window passes.
   */
  private void dilute(Drill drill, FaultPlan plan, long duringFault) {
    long count =
        Math.min(
            (long) drill.recovery().dilute() * duringFault, DrillTraffic.MAX_REQUESTS_PER_CALL);
    if (count <= 0) {
      return;
    }
    Drill.MixEntry first =
        drill.load().mix().isEmpty()
            ? new Drill.MixEntry("/", 1, null, null)
            : drill.load().mix().getFirst();
    progress.println(drill.name() + ": diluting with " + count + " requests to " + first.path());
    DrillTraffic.concurrent(
        plan.service().resolve(first.path()), first.method(), first.body(), (int) count, 4);
  }

  private static boolean resolvePending(Watch w) {
    return w.failure == null
        && w.notifiedAt != null
        && w.expected.mustResolve()
        && w.resolvedAt == null;
  }

  private DrillReport report(
      Drill drill,
      FaultPlan plan,
      Instant startedAt,
      Instant faultAt,
      Instant clearedAt,
      List<Watch> watches,
      Map<Drill.AlertMatch, Instant> quiet,
      Map<Drill.AlertMatch, Instant> alreadyFiring,
      Map<String, Double> budgetBefore,
      List<String> problems) {
    Instant endedAt = Instant.now();
    historyOfQuiet(quiet, startedAt, endedAt);
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
          faultAt == null
              ? null
              : drill.budget().stream()
                  .filter(b -> b.slo().equals(change.slo()))
                  .map(Drill.BudgetExpectation::burns)
                  .findFirst()
                  .orElse(null);
      budgets.add(DrillReport.BudgetResult.judge(change, burns));
    }
    List<DrillReport.QuietResult> quietResults = new ArrayList<>();
    quiet.forEach((m, at) -> quietResults.add(new DrillReport.QuietResult(m.toString(), at, null)));
    alreadyFiring.forEach(
        (m, at) -> quietResults.add(new DrillReport.QuietResult(m.toString(), null, at)));
    return new DrillReport(
        drill.name(),
        drill.description().strip(),
        timing.name(),
        plan.service().toString(),
        startedAt,
        faultAt,
        faultAt == null ? null : firstBadSample(drill, faultAt, endedAt),
        clearedAt,
        endedAt,
        watches.stream().map(Watch::result).toList(),
        quietResults,
        budgets,
        problems);
  }

  /** One look at Prometheus, Alertmanager and the receiver for every alert not yet notified. */
  private void observe(List<Watch> watches, Instant faultAt, Map<Drill.AlertMatch, Instant> quiet) {
    List<PrometheusClient.ActiveAlert> active;
    try {
      active = prometheus.alerts();
    } catch (IOException e) {
      return; // retried at the next poll; deadlines still apply
    }
    Instant now = Instant.now();
    recordQuiet(quiet, active, now);
    List<Notification> log = notifications.readAll();
    List<AlertmanagerClient.RoutedAlert> routed = null;
    for (Watch w : watches) {
      if (w.failure != null || w.notifiedAt != null) {
        continue;
      }
      Drill.AlertMatch match = w.expected.match();
      for (PrometheusClient.ActiveAlert a : active) {
        if (match.matches(a.name(), a.labels())) {
          if (w.pendingAt == null) {
            w.pendingAt = now;
          }
          if (a.firing() && w.firingAt == null) {
            w.firingAt = now;
            progress.println(
                "  "
                    + w.expected.alert()
                    + " firing in Prometheus after "
                    + DrillReport.seconds(Duration.between(faultAt, now))
                    + " (predicted "
                    + DrillReport.seconds(w.predictedFiring)
                    + ")");
          }
        }
      }
      if (w.firingAt == null) {
        continue;
      }
      if (routed == null) {
        try {
          routed = alertmanager.alerts();
        } catch (IOException e) {
          routed = List.of();
        }
      }
      routed.stream()
          .filter(r -> match.matches(r.name(), r.labels()))
          .findFirst()
          .ifPresent(r -> w.routedTo = r.receivers());
      log.stream()
          .filter(
              n ->
                  Notification.FIRING.equals(n.status())
                      && match.matches(n.alertname(), n.labels())
                      && n.receiver().equals(w.expected.receiver())
                      && !n.receivedAt().isBefore(faultAt))
          .findFirst()
          .ifPresent(
              n -> {
                w.notifiedAt = n.receivedAt();
                w.severity = n.severity();
                w.runbook = n.annotations() == null ? null : n.annotations().get("runbook_url");
                progress.println(
                    "  "
                        + w.expected.alert()
                        + " notified at "
                        + n.receiver()
                        + " after "
                        + DrillReport.seconds(Duration.between(faultAt, n.receivedAt()))
                        + " (predicted "
                        + DrillReport.seconds(w.predictedNotified)
                        + ")");
                if (!w.expected.severity().equals(n.severity())) {
                  w.failure =
                      w.expected.alert()
                          + " arrived with severity "
                          + n.severity()
                          + ", expected "
                          + w.expected.severity();
                }
              });
    }
  }

  private void observeResolved(List<Watch> watches, Instant clearedAt) {
    List<Notification> log = notifications.readAll();
    for (Watch w : watches) {
      if (!resolvePending(w)) {
        continue;
      }
      log.stream()
          .filter(
              n ->
                  Notification.RESOLVED.equals(n.status())
                      && w.expected.match().matches(n.alertname(), n.labels())
                      && n.receiver().equals(w.expected.receiver())
                      && n.receivedAt().isAfter(w.notifiedAt))
          .findFirst()
          .ifPresent(
              n -> {
                w.resolvedAt = n.receivedAt();
                progress.println(
                    "  "
                        + w.expected.alert()
                        + " resolved at "
                        + n.receiver()
                        + " "
                        + DrillReport.seconds(Duration.between(clearedAt, n.receivedAt()))
                        + " after the fault's end (predicted "
                        + DrillReport.seconds(w.predictedResolved)
                        + ")");
              });
    }
  }

  private String notNotified(Watch w) {
    String hop;
    if (w.firingAt == null) {
      hop =
          w.pendingAt == null
              ? "never became pending in Prometheus (its expression never held)"
              : "was pending from " + w.pendingAt + " but never fired";
    } else if (w.routedTo.isEmpty()) {
      hop = "fired in Prometheus but Alertmanager never held it";
    } else if (!w.routedTo.contains(w.expected.receiver())) {
      hop =
          "fired, but Alertmanager routed it to "
              + w.routedTo
              + "; check the routes of deploy/alertmanager/alertmanager.yml";
    } else {
      hop = "fired and was routed, but no notification reached the receiver";
    }
    return w.expected.alert()
        + " was not notified at "
        + w.expected.receiver()
        + " within its deadline of "
        + w.deadline.toSeconds()
        + " s (predicted "
        + DrillReport.seconds(w.predictedNotified)
        + "): it "
        + hop;
  }

  private static String awaited(List<Watch> watches, Instant faultAt) {
    List<String> out = new ArrayList<>();
    for (Watch w : watches) {
      if (w.notifiedAt != null || w.failure != null) {
        continue;
      }
      String hop = w.firingAt != null ? "notification" : w.pendingAt != null ? "firing" : "pending";
      out.add(
          w.expected.alert()
              + " "
              + hop
              + " (deadline "
              + DrillReport.seconds(w.deadline)
              + " after the fault)");
    }
    return String.join(", ", out);
  }

  /**
   * The must-not-fire alerts already firing when the drill starts (e.g. a slow burn-rate tier of an
   * earlier incident): the drill cannot judge them; the report lists them as such.
   */
  private Map<Drill.AlertMatch, Instant> alreadyFiring(java.util.Set<Drill.AlertMatch> matches)
      throws IOException {
    Map<Drill.AlertMatch, Instant> out = new LinkedHashMap<>();
    if (matches.isEmpty()) {
      return out;
    }
    List<PrometheusClient.ActiveAlert> active = prometheus.alerts();
    for (Drill.AlertMatch m : matches) {
      active.stream()
          .filter(a -> a.firing() && m.matches(a.name(), a.labels()))
          .findFirst()
          .ifPresent(
              a -> {
                Instant since;
                try {
                  since = Instant.parse(a.activeAt());
                } catch (RuntimeException e) {
                  since = Instant.now();
                }
                out.put(m, since);
                progress.println(
                    "  "
                        + m
                        + " is already firing (since "
                        + a.activeAt()
                        + "): this drill cannot judge whether it would fire");
              });
    }
    return out;
  }

  private void watchQuiet(Map<Drill.AlertMatch, Instant> quiet) {
    if (quiet.isEmpty()) {
      return;
    }
    try {
      recordQuiet(quiet, prometheus.alerts(), Instant.now());
    } catch (IOException e) {
      // the ALERTS history is checked at the end
    }
  }

  private void recordQuiet(
      Map<Drill.AlertMatch, Instant> quiet,
      List<PrometheusClient.ActiveAlert> active,
      Instant now) {
    for (Map.Entry<Drill.AlertMatch, Instant> e : quiet.entrySet()) {
      if (e.getValue() == null
          && active.stream()
              .anyMatch(a -> a.firing() && e.getKey().matches(a.name(), a.labels()))) {
        e.setValue(now);
        progress.println("  " + e.getKey() + " fired although the drill says it must not");
      }
    }
  }

  /** Prometheus's ALERTS history over the drill: catches a firing between two polls. */
  private void historyOfQuiet(Map<Drill.AlertMatch, Instant> quiet, Instant from, Instant to) {
    double step = Math.max(1, timing.evaluationInterval().seconds());
    for (Map.Entry<Drill.AlertMatch, Instant> e : quiet.entrySet()) {
      if (e.getValue() != null) {
        continue;
      }
      try {
        prometheus.range(e.getKey().alertsSelector("firing"), from, to, step).stream()
            .flatMap(s -> s.points().stream())
            .filter(p -> p.value() > 0)
            .findFirst()
            .ifPresent(p -> e.setValue(Instant.ofEpochMilli(Math.round(p.epochSeconds() * 1000))));
      } catch (IOException ex) {
        // the polls during the drill stand
      }
    }
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

  /**
   * Waits, under the baseline load, until every SLO the drill has a budget expectation for has its
   * {@code slo:error_budget_remaining:ratio} series, at most {@link
   * DrillTiming#budgetSeriesWait()}; prints what it waits for.
   *
   * @throws BudgetSeriesMissing when the wait runs out, naming the series and what to check
   */
  private void awaitBudgetSeries(
      Drill drill, Progress ticker, Map<Drill.AlertMatch, Instant> quiet) {
    List<String> judged =
        drill.budget().stream().map(Drill.BudgetExpectation::slo).distinct().toList();
    if (judged.isEmpty()) {
      return;
    }
    Duration bound = timing.budgetSeriesWait();
    Instant start = Instant.now();
    boolean announced = false;
    while (true) {
      List<String> missing = judged.stream().filter(slo -> !budgetRecorded(slo)).toList();
      Duration waited = Duration.between(start, Instant.now());
      if (missing.isEmpty()) {
        if (announced) {
          progress.println(
              drill.name()
                  + ": error budget series recorded after "
                  + DrillReport.seconds(waited)
                  + "; injecting the fault");
        }
        return;
      }
      String series = String.join(", ", missing.stream().map(BudgetChange::selector).toList());
      if (waited.compareTo(bound) > 0) {
        throw new BudgetSeriesMissing(
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
            drill.name()
                + ": waiting up to "
                + bound.toSeconds()
                + " s for "
                + series
                + " (a freshly started stack has not evaluated its SLO rules yet)");
        announced = true;
      }
      ticker.tick("waiting for the error budget", series);
      watchQuiet(quiet);
      sleep();
    }
  }

  private boolean budgetRecorded(String slo) {
    try {
      return prometheus.value(BudgetChange.selector(slo), Instant.now()).isPresent();
    } catch (IOException e) {
      return false; // asked again at the next poll
    }
  }

  /** The budget series of a judged SLO did not appear in time: the fault is not injected. */
  private static final class BudgetSeriesMissing extends RuntimeException {
    BudgetSeriesMissing(String message) {
      super(message);
    }
  }

  private static String describe(Drill.FaultStep f) {
    if (f == null) {
      return "none (this drill only observes)";
    }
    if (f.http() != null) {
      return "bursts of "
          + f.http().burst()
          + " GET "
          + f.http().path()
          + " every "
          + f.http().every();
    }
    if (f.stop() != null) {
      return "stop " + f.stop().service();
    }
    return "admin fault "
        + f.admin().fault()
        + " on "
        + f.admin().service()
        + " target "
        + Objects.requireNonNullElse(f.admin().target(), "*")
        + " params "
        + f.admin().params();
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("drill interrupted", e);
    }
  }

  /**
   * Prints the phase, the elapsed time and what is awaited every {@link #PROGRESS_EVERY} from a
   * daemon thread, so that a line also comes while recovery blocks (a restart, the dilution).
   */
  private final class Progress implements AutoCloseable {
    private final String drill;
    private final Instant start;
    private final Thread thread;
    private volatile String phase = "start";
    private volatile String awaiting = "the drill to start";

    Progress(String drill, Instant start) {
      this.drill = drill;
      this.start = start;
      this.thread =
          Thread.ofPlatform()
              .daemon()
              .name("drill-progress")
              .start(
                  () -> {
                    while (true) {
                      try {
                        Thread.sleep(PROGRESS_EVERY);
                      } catch (InterruptedException e) {
                        return;
                      }
                      progress.printf(
                          "%s: [%s] %d s elapsed, awaiting %s%n",
                          this.drill,
                          phase,
                          Duration.between(this.start, Instant.now()).toSeconds(),
                          awaiting);
                    }
                  });
    }

    void tick(String phase, String awaiting) {
      this.phase = phase;
      this.awaiting = awaiting;
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}
