package dev.vigil.drills.run;

import dev.vigil.drills.drill.DrillReport;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The alert watch: follows every expected alert of a drill ({@link WatchedAlert}) through
 * Prometheus ({@code /api/v1/alerts}: pending, then firing), Alertmanager ({@code /api/v2/alerts}:
 * the receivers it routes to) and the receiver's log (the firing notification, after the fault the
 * resolved one), one look per poll. Each look fetches Prometheus's alerts once and shares them with
 * the {@link QuietWatch}; Alertmanager is asked only once an alert fires.
 */
final class AlertWatch {

  private final List<WatchedAlert> alerts;
  private final PrometheusClient prometheus;
  private final AlertmanagerClient alertmanager;
  private final Supplier<List<Notification>> notifications;
  private final QuietWatch quiet;
  private final Clock clock;

  /**
   * A watch over a drill's expected alerts.
   *
   * @param alerts the expected alerts, in the drill's order
   * @param prometheus where they turn pending and fire
   * @param alertmanager where they are routed
   * @param notifications the receiver's log as it stands now, oldest first
   * @param quiet given every answer of Prometheus's alerts this watch fetches
   * @param clock dates what a look sees
   */
  AlertWatch(
      List<WatchedAlert> alerts,
      PrometheusClient prometheus,
      AlertmanagerClient alertmanager,
      Supplier<List<Notification>> notifications,
      QuietWatch quiet,
      Clock clock) {
    this.alerts = List.copyOf(alerts);
    this.prometheus = prometheus;
    this.alertmanager = alertmanager;
    this.notifications = notifications;
    this.quiet = quiet;
    this.clock = clock;
  }

  /**
   * Fails, before the drill starts, every expected alert Prometheus has no rule for or no deadline
   * can be derived for.
   *
   * @param loadedRules the names of the alerting rules Prometheus has loaded
   * @return true when any expected alert failed (the drill then injects nothing)
   */
  boolean refuseUnknown(Set<String> loadedRules) {
    alerts.forEach(a -> a.checkRule(loadedRules));
    return alerts.stream().anyMatch(WatchedAlert::failed);
  }

  /**
   * The fault phase's look: what Prometheus, Alertmanager and the receiver show of every alert not
   * yet notified; then the verdict on every alert past its notification deadline. A Prometheus that
   * does not answer is asked at the next look; the deadlines still apply.
   *
   * @param now the look's instant
   * @param faultAt the fault's start
   * @return the alerts still awaited and their next hop; empty when every alert is notified or
   *     failed
   */
  Optional<String> awaitingNotifications(Instant now, Instant faultAt) {
    lookForFiring(faultAt);
    alerts.forEach(a -> a.judgeNotification(now, faultAt));
    List<String> awaited =
        alerts.stream()
            .filter(WatchedAlert::awaitingNotification)
            .map(WatchedAlert::nextHop)
            .toList();
    return awaited.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", awaited));
  }

  private void lookForFiring(Instant faultAt) {
    List<PrometheusClient.ActiveAlert> active;
    try {
      active = prometheus.alerts();
    } catch (IOException e) {
      return;
    }
    Instant seen = clock.instant();
    quiet.record(active, seen);
    List<Notification> log = notifications.get();
    List<AlertmanagerClient.RoutedAlert> routed = null;
    for (WatchedAlert a : alerts) {
      if (!a.awaitingNotification()) {
        continue;
      }
      a.seeInPrometheus(active, seen, faultAt);
      if (!a.fired()) {
        continue;
      }
      if (routed == null) {
        routed = routedNow();
      }
      a.seeInAlertmanager(routed);
      a.seeNotified(log, faultAt);
    }
  }

  private List<AlertmanagerClient.RoutedAlert> routedNow() {
    try {
      return alertmanager.alerts();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * The recovery phase's look, first half: the resolved notifications in the receiver's log.
   *
   * @param clearedAt the fault's end
   */
  void lookForResolutions(Instant clearedAt) {
    List<Notification> log = notifications.get();
    alerts.stream()
        .filter(WatchedAlert::awaitingResolution)
        .forEach(a -> a.seeResolved(log, clearedAt));
  }

  /**
   * The recovery phase's look, second half: the verdict on every alert past its resolve deadline.
   *
   * @param now the look's instant
   * @param recoveredAt the recovery's end: the fault cleared (or the service back) and the dilution
   *     sent; each resolve deadline counts from here
   * @return the alerts whose resolution is still awaited; empty when none is
   */
  Optional<String> awaitingResolutions(Instant now, Instant recoveredAt) {
    alerts.forEach(a -> a.judgeResolution(now, recoveredAt));
    List<String> left =
        alerts.stream()
            .filter(WatchedAlert::awaitingResolution)
            .map(a -> a.alert() + " resolved")
            .toList();
    return left.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", left));
  }

  /**
   * What the report says of each expected alert.
   *
   * @return the results in the drill's order
   */
  List<DrillReport.AlertResult> results() {
    return alerts.stream().map(WatchedAlert::result).toList();
  }
}
