package dev.vigil.drills.run;

import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillTiming;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One expected alert followed hop by hop while a drill runs: when Prometheus first showed it
 * (pending) and first showed it firing, which receivers Alertmanager routed it to, when the
 * expected receiver got the firing notification and, after the fault, the resolved one. Past a
 * deadline it gets a verdict naming the last hop it reached. The {@link AlertWatch} feeds it one
 * look at a time.
 */
final class WatchedAlert {

  /**
   * The predictions and deadlines of one expected alert (from the fault's start, resp. its end).
   *
   * @param predictedFiring when it should fire, or null when no rule predicts it
   * @param predictedNotified when its notification should arrive, or null
   * @param notifyDeadline the latest its notification may arrive, or null when nothing gives one
   *     (the alert then fails before the fault)
   * @param predictedResolved when its resolved notification should arrive after the fault's end
   * @param resolveDeadline the latest the resolved notification may arrive after the recovery's end
   *     (the fault cleared or the service back, and the dilution sent)
   */
  record Times(
      Duration predictedFiring,
      Duration predictedNotified,
      Duration notifyDeadline,
      Duration predictedResolved,
      Duration resolveDeadline) {

    /**
     * The times of a running stack's profile.
     *
     * @param timing the profile's timing and the rules of deploy/
     * @param expected the expected alert
     * @param recovery the drill's recovery
     * @return the times
     */
    static Times of(DrillTiming timing, Drill.ExpectedAlert expected, Drill.Recovery recovery) {
      return new Times(
          timing.predictedFiring(expected).orElse(null),
          timing.predictedNotified(expected).orElse(null),
          timing.notifyDeadline(expected).orElse(null),
          timing.predictedResolved(expected, recovery),
          timing.resolveDeadline(expected, recovery));
    }
  }

  private final Drill.ExpectedAlert expected;
  private final Times times;
  private final PrintStream progress;
  private Instant pendingAt;
  private Instant firingAt;
  private List<String> routedTo = List.of();
  private Instant notifiedAt;
  private String severity;
  private String runbook;
  private Instant resolvedAt;
  private String failure;

  /**
   * Starts following an alert.
   *
   * @param expected the drill's expectation
   * @param times its predictions and deadlines
   * @param progress where each hop reached is announced
   */
  WatchedAlert(Drill.ExpectedAlert expected, Times times, PrintStream progress) {
    this.expected = expected;
    this.times = times;
    this.progress = progress;
  }

  /**
   * Fails the expectation before the drill starts when Prometheus has no rule for the alert or no
   * deadline can be derived.
   *
   * @param loadedRules the names of the alerting rules Prometheus has loaded
   */
  void checkRule(Set<String> loadedRules) {
    if (!loadedRules.contains(expected.alert())) {
      failure =
          "Prometheus has no alerting rule named "
              + expected.alert()
              + " loaded, so it can never fire; check the rules under"
              + " deploy/prometheus/rules/ and Prometheus's /rules page";
    } else if (times.notifyDeadline() == null) {
      failure =
          "deploy/prometheus/rules/ has no rule "
              + expected.match()
              + " to derive a deadline from; state one with deadline:";
    }
  }

  /** Whether the expectation has failed (a verdict is given). */
  boolean failed() {
    return failure != null;
  }

  /** Still waiting for the firing notification: neither notified nor failed. */
  boolean awaitingNotification() {
    return notifiedAt == null && failure == null;
  }

  /** Notified, to resolve, and not resolved or failed yet. */
  boolean awaitingResolution() {
    return failure == null && notifiedAt != null && expected.mustResolve() && resolvedAt == null;
  }

  /** Whether Prometheus has shown it firing (then Alertmanager's routing is worth a look). */
  boolean fired() {
    return firingAt != null;
  }

  /**
   * Notes the first look at which Prometheus holds the alert (pending or firing) and the first at
   * which it fires.
   *
   * @param active Prometheus's {@code /api/v1/alerts}
   * @param now when they were fetched
   * @param faultAt the fault's start, for the progress line
   */
  void seeInPrometheus(List<PrometheusClient.ActiveAlert> active, Instant now, Instant faultAt) {
    for (PrometheusClient.ActiveAlert a : active) {
      if (expected.match().matches(a.name(), a.labels())) {
        if (pendingAt == null) {
          pendingAt = now;
        }
        if (a.firing() && firingAt == null) {
          firingAt = now;
          progress.println(
              "  "
                  + expected.alert()
                  + " firing in Prometheus after "
                  + DrillReport.seconds(Duration.between(faultAt, now))
                  + " (predicted "
                  + DrillReport.seconds(times.predictedFiring())
                  + ")");
        }
      }
    }
  }

  /**
   * Notes the receivers Alertmanager routes the alert to, when it holds it.
   *
   * @param routed Alertmanager's {@code /api/v2/alerts}
   */
  void seeInAlertmanager(List<AlertmanagerClient.RoutedAlert> routed) {
    routed.stream()
        .filter(r -> expected.match().matches(r.name(), r.labels()))
        .findFirst()
        .ifPresent(r -> routedTo = r.receivers());
  }

  /**
   * Notes the first firing notification of the alert at the expected receiver received since the
   * fault started, its severity and runbook; a severity other than the expected one fails the
   * expectation.
   *
   * @param log the receiver's log
   * @param faultAt the fault's start
   */
  void seeNotified(List<Notification> log, Instant faultAt) {
    log.stream()
        .filter(
            n ->
                Notification.FIRING.equals(n.status())
                    && expected.match().matches(n.alertname(), n.labels())
                    && n.receiver().equals(expected.receiver())
                    && !n.receivedAt().isBefore(faultAt))
        .findFirst()
        .ifPresent(
            n -> {
              notifiedAt = n.receivedAt();
              severity = n.severity();
              runbook = n.annotations() == null ? null : n.annotations().get("runbook_url");
              progress.println(
                  "  "
                      + expected.alert()
                      + " notified at "
                      + n.receiver()
                      + " after "
                      + DrillReport.seconds(Duration.between(faultAt, n.receivedAt()))
                      + " (predicted "
                      + DrillReport.seconds(times.predictedNotified())
                      + ")");
              if (!expected.severity().equals(n.severity())) {
                failure =
                    expected.alert()
                        + " arrived with severity "
                        + n.severity()
                        + ", expected "
                        + expected.severity();
              }
            });
  }

  /**
   * Notes the first resolved notification at the expected receiver after the firing one.
   *
   * @param log the receiver's log
   * @param clearedAt the fault's end, for the progress line
   */
  void seeResolved(List<Notification> log, Instant clearedAt) {
    log.stream()
        .filter(
            n ->
                Notification.RESOLVED.equals(n.status())
                    && expected.match().matches(n.alertname(), n.labels())
                    && n.receiver().equals(expected.receiver())
                    && n.receivedAt().isAfter(notifiedAt))
        .findFirst()
        .ifPresent(
            n -> {
              resolvedAt = n.receivedAt();
              progress.println(
                  "  "
                      + expected.alert()
                      + " resolved at "
                      + n.receiver()
                      + " "
                      + DrillReport.seconds(Duration.between(clearedAt, n.receivedAt()))
                      + " after the fault's end (predicted "
                      + DrillReport.seconds(times.predictedResolved())
                      + ")");
            });
  }

  /**
   * Gives the verdict when the notification deadline has passed (strictly) without a notification:
   * it never became pending, was pending but never fired, fired but Alertmanager never held it, was
   * routed to other receivers, or was routed but not delivered.
   *
   * @param now the look's instant
   * @param faultAt the fault's start
   */
  void judgeNotification(Instant now, Instant faultAt) {
    if (!awaitingNotification() || !now.isAfter(faultAt.plus(times.notifyDeadline()))) {
      return;
    }
    String hop;
    if (firingAt == null) {
      hop =
          pendingAt == null
              ? "never became pending in Prometheus (its expression never held)"
              : "was pending from " + pendingAt + " but never fired";
    } else if (routedTo.isEmpty()) {
      hop = "fired in Prometheus but Alertmanager never held it";
    } else if (!routedTo.contains(expected.receiver())) {
      hop =
          "fired, but Alertmanager routed it to "
              + routedTo
              + "; check the routes of deploy/alertmanager/alertmanager.yml";
    } else {
      hop = "fired and was routed, but no notification reached the receiver";
    }
    failure =
        expected.alert()
            + " was not notified at "
            + expected.receiver()
            + " within its deadline of "
            + times.notifyDeadline().toSeconds()
            + " s (predicted "
            + DrillReport.seconds(times.predictedNotified())
            + "): it "
            + hop;
  }

  /**
   * Fails the expectation when the resolve deadline has passed (strictly) without a resolved
   * notification.
   *
   * @param now the look's instant
   * @param recoveredAt the recovery's end: the fault cleared (or the service back) and the dilution
   *     sent
   */
  void judgeResolution(Instant now, Instant recoveredAt) {
    if (awaitingResolution() && now.isAfter(recoveredAt.plus(times.resolveDeadline()))) {
      failure =
          expected.alert()
              + " did not resolve at receiver "
              + expected.receiver()
              + " within "
              + times.resolveDeadline().toSeconds()
              + " s of the recovery's end (predicted "
              + DrillReport.seconds(times.predictedResolved())
              + ")";
    }
  }

  /**
   * The next hop awaited, for the progress line, e.g. {@code HighErrorRate firing (deadline 95.0 s
   * after the fault)}.
   *
   * @return the hop
   */
  String nextHop() {
    String hop = firingAt != null ? "notification" : pendingAt != null ? "firing" : "pending";
    return expected.alert()
        + " "
        + hop
        + " (deadline "
        + DrillReport.seconds(times.notifyDeadline())
        + " after the fault)";
  }

  /**
   * The alert's name, e.g. {@code HighErrorRate}.
   *
   * @return the name
   */
  String alert() {
    return expected.alert();
  }

  /**
   * What the report says of this alert.
   *
   * @return the result; its failure is null when the expectation held
   */
  DrillReport.AlertResult result() {
    return new DrillReport.AlertResult(
        expected.describe(),
        expected.alert(),
        expected.receiver(),
        times.predictedFiring(),
        times.predictedNotified(),
        times.notifyDeadline(),
        expected.mustResolve() ? times.predictedResolved() : null,
        expected.mustResolve() ? times.resolveDeadline() : null,
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
